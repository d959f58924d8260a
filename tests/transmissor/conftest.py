"""Fixtures do transmissor: hierarquia de teste, certificados A1 e tokens SoftHSM2.

Chaves são geradas uma vez por sessão (RSA 2048). Os testes que precisam do SoftHSM2 ou do
xmlsec1 FALHAM (não pulam) quando eles faltam: são parte do aceite (issue 7).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from apoio.servidor import Caixa, Pessoa, pedido_cadastro

from siops.servidor.local import ServidorLocal, porta_livre  # noqa: F401 (gestores_ambiente)
from siops.transmissor import icp_teste, token_teste

CPF_TECNICO = "52998224725"
CPF_GESTOR = "11144477735"
CPF_OUTRO = "39053344705"
SENHA_PFX = "senha-do-a1"
PIN = "123456"
DIAS_PARA_VENCER = 10


@dataclass(frozen=True)
class A1:
    """Um .pfx de teste com a sua senha e o certificado."""

    caminho: Path
    senha: str
    emitido: icp_teste.CertificadoEmitido


@pytest.fixture(scope="session")
def hierarquia(tmp_path_factory: pytest.TempPathFactory) -> icp_teste.HierarquiaTeste:
    """AC Raiz de Teste ICP-Brasil → AC Intermediária de Teste, gravadas em disco."""
    return icp_teste.gerar_hierarquia(tmp_path_factory.mktemp("icp"))


def _a1(pasta: Path, hier: icp_teste.HierarquiaTeste, nome: str, cpf: str, **kw: object) -> A1:
    emitido = icp_teste.emitir_ecpf(hier, nome, cpf, **kw)  # type: ignore[arg-type]
    assert emitido.chave is not None
    caminho = icp_teste.gravar_pfx(
        pasta / f"{cpf}.pfx", emitido.chave, emitido.cert, emitido.cadeia, SENHA_PFX
    )
    return A1(caminho, SENHA_PFX, emitido)


@pytest.fixture(scope="session")
def a1_tecnico(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do técnico (CPF_TECNICO)."""
    return _a1(tmp_path_factory.mktemp("a1"), hierarquia, "TECNICA DE TESTE", CPF_TECNICO)


@pytest.fixture(scope="session")
def a1_gestor(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do gestor (CPF_GESTOR)."""
    return _a1(tmp_path_factory.mktemp("a1g"), hierarquia, "GESTOR DE TESTE", CPF_GESTOR)


@pytest.fixture(scope="session")
def a1_vencido(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do técnico que venceu há 35 dias."""
    inicio = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    return _a1(
        tmp_path_factory.mktemp("a1v"), hierarquia, "TECNICA DE TESTE", CPF_TECNICO, inicio=inicio
    )


@pytest.fixture(scope="session")
def a1_outro(tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste) -> A1:
    """e-CPF A1 válido de outra pessoa (CPF_OUTRO)."""
    return _a1(tmp_path_factory.mktemp("a1o"), hierarquia, "OUTRA PESSOA", CPF_OUTRO)


@dataclass(frozen=True)
class SoftHSM:
    """Os tokens de teste criados para a sessão."""

    modulo: str
    tecnico: token_teste.TokenTeste
    vazio: token_teste.TokenTeste
    vencido: token_teste.TokenTeste
    gestor: token_teste.TokenTeste
    """O e-CPF do gestor (CPF_GESTOR) num token: a homologação pelo A3."""
    duplos: tuple[token_teste.TokenTeste, token_teste.TokenTeste]
    """Dois tokens vazios com o mesmo rótulo (SIOPS-DUPLO): só o número de série os separa."""
    vence: token_teste.TokenTeste
    """SIOPS-VENCE: o e-CPF do técnico (CPF_TECNICO) que vence em ``DIAS_PARA_VENCER`` dias."""


@pytest.fixture(scope="session")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> SoftHSM:
    """Tokens SoftHSM2 num SOFTHSM2_CONF próprio: o do técnico, um vazio e um com e-CPF vencido."""
    modulo = token_teste.exigir_softhsm()  # falha (não pula) se o SoftHSM2 faltar
    token_teste.preparar_softhsm(tmp_path_factory.mktemp("softhsm"))
    tecnico = token_teste.iniciar_token("SIOPS-TECNICO", PIN)
    vazio = token_teste.iniciar_token("SIOPS-VAZIO", PIN)
    vencido = token_teste.iniciar_token("SIOPS-VENCIDO", PIN)
    gestor = token_teste.iniciar_token("SIOPS-GESTOR", PIN)
    duplos = (
        token_teste.iniciar_token("SIOPS-DUPLO", PIN),
        token_teste.iniciar_token("SIOPS-DUPLO", PIN),
    )
    # todos os tokens antes de a biblioteca ser carregada: o SoftHSM2 lê a lista de tokens
    # no C_Initialize e não vê um token criado depois
    vence = token_teste.iniciar_token("SIOPS-VENCE", PIN)
    tecnico = token_teste.gerar_chave_e_certificado(
        tecnico, hierarquia, "TECNICO DO TOKEN", CPF_TECNICO
    )
    vencido = token_teste.gerar_chave_e_certificado(
        vencido,
        hierarquia,
        "TECNICO DO TOKEN",
        CPF_TECNICO,
        inicio=dt.datetime.now(dt.UTC) - dt.timedelta(days=400),
    )
    gestor = token_teste.gerar_chave_e_certificado(
        gestor, hierarquia, "GESTOR DO TOKEN", CPF_GESTOR
    )
    vence = token_teste.gerar_chave_e_certificado(
        vence,
        hierarquia,
        "TECNICO QUE VENCE",
        CPF_TECNICO,
        inicio=dt.datetime.now(dt.UTC) - dt.timedelta(days=365 - DIAS_PARA_VENCER, hours=1),
        dias=365,
    )
    return SoftHSM(modulo, tecnico, vazio, vencido, gestor, duplos, vence)


@pytest.fixture(scope="session")
def xmlsec1() -> str:
    """O executável xmlsec1 (falha se não estiver instalado)."""
    caminho = shutil.which("xmlsec1")
    assert caminho, "xmlsec1 não instalado: apt-get install xmlsec1"
    return caminho


class PinFixo:
    """Um pin_handler que sempre responde o mesmo PIN e anota os avisos e as chamadas."""

    def __init__(self, pin: str | None = PIN) -> None:
        self.pin = pin
        self.avisos: list[str | None] = []

    def __call__(self, _token: str, aviso: str | None) -> str | None:
        self.avisos.append(aviso)
        return self.pin


@pytest.fixture
def pin_fixo() -> type[PinFixo]:
    """A classe ``PinFixo`` (``pin_fixo("000000")`` dá um handler com PIN errado)."""
    return PinFixo


@dataclass(frozen=True)
class Constantes:
    """CPFs, senha e PIN usados nos testes."""

    cpf_tecnico: str = CPF_TECNICO
    cpf_gestor: str = CPF_GESTOR
    cpf_outro: str = CPF_OUTRO
    senha_pfx: str = SENHA_PFX
    pin: str = PIN


@pytest.fixture(scope="session")
def constantes() -> Constantes:
    """Os valores fixos dos testes do transmissor."""
    return Constantes()


# ---------------------------------------------------------------------------- declarações


CPF_CHEFE = "12345678909"
ENTE = "M355030"
EXERCICIO = 2025


def declaracao_limpa(bimestre: int, valor_base: str = "1000000.00"):
    """Uma declaração sem nenhuma crítica impeditiva (como a dos testes de críticas)."""
    from decimal import Decimal

    from siops.forms.declaracao import Declaracao, DefinirTexto
    from siops.forms.dinheiro import quantizar
    from siops.forms.entes import ente

    d = Declaracao(ente(ENTE), EXERCICIO, bimestre)
    cpfs = iter(("529.982.247-25", "111.444.777-35", "123.456.789-09", "987.654.321-00"))
    for campo in d.catalogo.campos.values():
        if not campo.obrigatorio:
            continue
        if campo.tipo == "cpf":
            v = next(cpfs)
        elif campo.tipo == "cnpj":
            v = "11.222.333/0001-81"
        elif campo.tipo == "email":
            v = "saude@prefeitura.sp.gov.br"
        else:
            v = "Lei 1.234/1991" if "lei" in campo.id else "Maria da Silva"
        d.aplicar(DefinirTexto(campo.id, v))
    d.aplicar(DefinirTexto("instituicao_1_nome", "Prefeitura Municipal"))
    d.aplicar(DefinirTexto("instituicao_1_cnpj", "00.000.000/0001-91"))
    t = d.catalogo.tabela("receitas_base")
    # the Cota-Parte FPM where there is one: a município with FPM zero has the impeditiva 208
    linha_base = next(
        li.id
        for li in sorted(t.linhas, key=lambda li: li.id != "fpm")
        if li.regra is None
        and ("receitas_base", li.id, "realizada") in d.catalogo.agregadas
        and "deducao" not in li.id
    )
    # the receita and the ASPS despesa go in through their ledger lines (issue 19); the fonte
    # and elemento views follow by construction
    base = Decimal(valor_base)
    for col in ("previsao_inicial", "previsao_atualizada", "realizada"):
        d.aplicar(d.comando_celula(("receitas_base", linha_base, col), base))
    asps = ("despesas_asps", "s301_33")
    for col in ("dotacao_inicial", "dotacao_atualizada"):
        d.aplicar(d.comando_celula((*asps, col), quantizar(base / 4)))
    d.aplicar(d.comando_celula((*asps, "empenhada"), quantizar(base / 5)))
    d.aplicar(d.comando_celula((*asps, "liquidada"), quantizar(base / 5)))
    d.aplicar(d.comando_celula((*asps, "paga"), quantizar(base * 3 / 20)))
    # issue 20: the receitas totais contain the base (211–213) and, in the 6º, the year's
    # restos a pagar are the ASPS empenhada − paga (721)
    for col in ("previsao_inicial", "previsao_atualizada", "realizada"):
        d.aplicar(d.comando_celula(("receitas_totais", "transf_uniao_correntes", col), base))
    if bimestre == 6:
        inscrito = quantizar(base / 5) - quantizar(base * 3 / 20)
        d.aplicar(d.comando_celula(("rp_execucao", "empenhos_ano", "inscrito"), inscrito))
    return d


@pytest.fixture
def copia_transmissao(tmp_path: Path):
    """``copia_transmissao(bimestre, valor_base)``: grava a cópia em ``…/transm/`` e devolve o caminho."""
    from siops.criticas import verificar
    from siops.ops_format import caminhos, gravar_transmissao

    def fazer(bimestre: int, valor_base: str = "1000000.00") -> Path:
        d = declaracao_limpa(bimestre, valor_base)
        pasta = tmp_path / "MS-SIOPS" / "MUNICIPAL" / str(EXERCICIO) / f"B{bimestre}"
        ops = pasta / caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
        return gravar_transmissao(d, ops, verificar(d))

    return fazer


# ---------------------------------------------------------------------------- servidor real


class ServidorTeste(ServidorLocal):
    """O ``siops-servidor`` de verdade (``siops.servidor.local``) com a hierarquia destes testes,
    numa porta fixa (para poder reiniciar). Não escreve o ``servidor.json``: quem quiser outra
    configuração o grava na pasta antes de iniciar."""

    def __init__(self, dados: Path, hier: icp_teste.HierarquiaTeste, smtp_porta: int) -> None:
        assert hier.raiz_pem is not None and hier.intermediaria_pem is not None
        super().__init__(
            dados,
            raizes=[hier.raiz_pem],
            intermediarios=[hier.intermediaria_pem],
            primeiro_exercicio=EXERCICIO,
            smtp=("127.0.0.1", smtp_porta),
        )
        self.hier = hier
        self.smtp_porta = smtp_porta

    def admin(self, *args: str, senha: str | None = None, timeout: float = 300) -> str:  # type: ignore[override]
        """``siops-servidor admin …`` que tem de dar certo; devolve a saída padrão."""
        r = super().admin(*args, senha=senha, timeout=timeout)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def transmissoes(self, bimestre: int) -> list[tuple[str, str]]:
        """(protocolo, situação) das transmissões do período no banco do servidor."""
        import sqlite3

        con = sqlite3.connect(
            f"file:{self.dados / 'servidor.sqlite3'}?mode=ro", uri=True, timeout=10
        )
        try:
            return list(
                con.execute(
                    "SELECT protocolo, situacao FROM transmissoes"
                    " WHERE ente=? AND exercicio=? AND bimestre=?",
                    (ENTE, EXERCICIO, bimestre),
                )
            )
        finally:
            con.close()


@dataclass
class Ambiente:
    """O servidor com a cadeia de cadastro pronta: chefe → secretário (gestor) → técnico."""

    servidor: ServidorTeste
    senha_tecnico: str
    chefe: icp_teste.CertificadoEmitido
    pasta_cliente: Path


@pytest.fixture(scope="session")
def ambiente(
    tmp_path_factory: pytest.TempPathFactory,
    hierarquia: icp_teste.HierarquiaTeste,
    a1_gestor: A1,
    smtp: tuple[int, Caixa],
) -> Iterator[Ambiente]:
    """O servidor real no loopback, com chefe, secretário e técnico cadastrados (senha por e-mail)."""
    import requests

    porta_smtp, caixa = smtp
    srv = ServidorTeste(tmp_path_factory.mktemp("servidor"), hierarquia, porta_smtp)
    srv.admin("cadastrar-chefe", "--ente", ENTE, "--nome", "PREFEITO DE TESTE", "--cpf", CPF_CHEFE)
    srv.iniciar()
    chefe = Pessoa(
        "PREFEITO DE TESTE",
        CPF_CHEFE,
        "",
        icp_teste.emitir_ecpf(hierarquia, "PREFEITO DE TESTE", CPF_CHEFE),
    )
    gestor = Pessoa("GESTOR DE TESTE", CPF_GESTOR, "gestor@x.gov.br", a1_gestor.emitido)
    tecnico = Pessoa("TECNICA DE TESTE", CPF_TECNICO, "tecnica@x.gov.br", None)
    antes = caixa.marca()
    for por, papel, quem in ((chefe, "secretario", gestor), (gestor, "tecnico", tecnico)):
        r = requests.post(
            srv.url + "/api/v1/cadastros",
            data=pedido_cadastro(por, ENTE, papel, quem),
            headers={"Content-Type": "application/xml"},
            timeout=60,
        )
        assert r.status_code == 201, r.text
    senha = caixa.senha_de(CPF_TECNICO, antes, para=tecnico.email)
    yield Ambiente(srv, senha, chefe.emitido, tmp_path_factory.mktemp("cliente"))
    srv.parar()


@pytest.fixture
def dados_cliente(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hierarquia: icp_teste.HierarquiaTeste
) -> Path:
    """Uma pasta de dados do transmissor só deste teste (SIOPS_TRANSMISSOR_DADOS), com as
    configurações que a demonstração grava: a raiz da hierarquia de teste em ``raizes_icp``
    (sem ela valem as ACs Raiz oficiais da ICP-Brasil, e um certificado de teste é recusado
    antes de assinar — ``test_transmissor_i21_ancoras``) e a intermediária em
    ``intermediarios_icp`` (os tokens de teste só guardam o certificado do titular)."""
    from siops.transmissor.config import Configuracoes

    pasta = tmp_path / "dados-transmissor"
    pasta.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(pasta))
    Configuracoes(
        raizes_icp=[str(hierarquia.raiz_pem)],
        intermediarios_icp=[str(hierarquia.intermediaria_pem)],
    ).salvar(pasta)
    return pasta


# ---------------------------------------------------------------------------- proxy com falhas


class ProxyFalho:
    """Um proxy TCP no loopback que estraga as primeiras ``n`` conexões e repassa as demais.

    ``modo``: "cortar_pedido" (lê parte do pedido e derruba a conexão com RST, nada chega ao
    servidor); "cortar_resposta" (o pedido chega inteiro ao servidor, que o processa, mas a
    resposta é trocada por um RST); "503" (responde 503 com Retry-After: 0 sem repassar).
    """

    def __init__(self, destino_porta: int, modo: str, n: int = 1) -> None:
        import socket
        import threading

        self.destino = ("127.0.0.1", destino_porta)
        self.modo = modo
        self.restantes = n
        self.conexoes = 0
        self.estragadas = 0
        self._trava = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self.porta = self._sock.getsockname()[1]
        self._parar = False
        self._thread = threading.Thread(target=self._aceitar, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.porta}"

    def fechar(self) -> None:
        self._parar = True
        self._sock.close()

    def _aceitar(self) -> None:
        import threading

        while not self._parar:
            try:
                cli, _ = self._sock.accept()
            except OSError:
                return
            with self._trava:
                self.conexoes += 1
                estragar = self.restantes > 0
                if estragar:
                    self.restantes -= 1
                    self.estragadas += 1
            threading.Thread(target=self._atender, args=(cli, estragar), daemon=True).start()

    @staticmethod
    def _rst(s) -> None:
        import socket
        import struct

        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            s.close()

    @staticmethod
    def _ler_pedido(cli) -> bytes:
        dados = b""
        while b"\r\n\r\n" not in dados:
            parte = cli.recv(65536)
            if not parte:
                return dados
            dados += parte
        cab, _, corpo = dados.partition(b"\r\n\r\n")
        tam = 0
        for linha in cab.split(b"\r\n"):
            if linha.lower().startswith(b"content-length:"):
                tam = int(linha.split(b":", 1)[1])
        while len(corpo) < tam:
            parte = cli.recv(65536)
            if not parte:
                break
            corpo += parte
        return cab + b"\r\n\r\n" + corpo

    def _atender(self, cli, estragar: bool) -> None:
        import select
        import socket

        if estragar and self.modo == "cortar_pedido":
            cli.recv(2048)
            self._rst(cli)
            return
        if estragar and self.modo == "503":
            self._ler_pedido(cli)
            cli.sendall(
                b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Type: application/json\r\n"
                b"Connection: close\r\nContent-Length: 2\r\n\r\n{}"
            )
            cli.close()
            return
        srv = socket.create_connection(self.destino, timeout=30)
        try:
            if estragar and self.modo == "cortar_resposta":
                srv.sendall(self._ler_pedido(cli))
                srv.recv(1)  # o servidor já respondeu: processou o pedido
                self._rst(cli)
                return
            pares = {cli: srv, srv: cli}
            while True:
                prontos, _, _ = select.select(list(pares), [], [], 60)
                if not prontos:
                    return
                for s in prontos:
                    dados = s.recv(65536)
                    if not dados:
                        return
                    pares[s].sendall(dados)
        except OSError:
            return
        finally:
            srv.close()
            try:
                cli.close()
            except OSError:
                pass


@pytest.fixture
def proxy_falho(ambiente):
    """``proxy_falho(modo, n)``: um ``ProxyFalho`` diante do servidor real (fechado ao fim)."""
    criados: list[ProxyFalho] = []

    def fazer(modo: str, n: int = 1) -> ProxyFalho:
        p = ProxyFalho(ambiente.servidor.porta, modo, n)
        criados.append(p)
        return p

    yield fazer
    for p in criados:
        p.fechar()
