"""O servidor real dos testes, o SMTP de teste e as pessoas com e-CPF (ver ``apoio``).

Chaves RSA são caras: a sessão gera duas e todas as pessoas as reutilizam (cada certificado é
outro, a chave é a mesma — o servidor confere o CPF do certificado e a cadeia, não que a chave
seja única).
"""

from __future__ import annotations

import datetime as dt
import email
import email.message
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from siops.servidor.correio import senha_da_mensagem, texto_da_mensagem
from siops.servidor.local import ServidorLocal, porta_livre

NS = NS_SERVIDOR = "urn:siops-desktop:servidor:1"
NS_RECIBO = "urn:siops-desktop:recibo:1"
#: O exercício dos cenários; os servidores de teste o têm como primeiro exercício (sem exigir o
#: 6º bimestre do anterior), e a regra do 6º bimestre é testada com o exercício seguinte.
EXERCICIO = 2025
#: O ``servidor.json`` dos servidores de teste (``extra`` sobrepõe): bloqueio curto, janela de
#: replay de 10 min e "esqueci a senha" sem intervalo, para os cenários caberem num teste.
CONFIG_TESTE: dict[str, Any] = {
    "bloqueio_segundos": 3,
    "janela_passado_segundos": 600,
    "intervalo_esqueci_segundos": 0,
}

__all__ = [
    "CONFIG_TESTE",
    "EXERCICIO",
    "NS",
    "NS_RECIBO",
    "NS_SERVIDOR",
    "PKI",
    "Caixa",
    "Pessoa",
    "Servidor",
    "cpf_com_dv",
    "documento",
    "formatar_cpf",
    "momento",
    "ops_demo",
    "pedido_cadastro",
    "porta_livre",
]


def cpf_com_dv(base9: str) -> str:
    """Nove dígitos completados com os dois dígitos verificadores."""
    d = base9
    for n in (9, 10):
        soma = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        d += str((soma * 10) % 11 % 10)
    return d


def formatar_cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


# --- SMTP -------------------------------------------------------------------------------------


class Caixa:
    """As mensagens recebidas pelo SMTP de teste (o ``handler`` de um aiosmtpd).

    ``mensagens`` guarda cada mensagem na ordem de chegada; as senhas (lidas pelo formato de
    ``siops.servidor.correio``) ficam indexadas por CPF. ``depois`` é sempre uma marca tomada
    antes do pedido: ``len(caixa.mensagens)`` (= ``caixa.total`` = ``caixa.marca()``); a
    ``contagem(cpf)`` também serve, por nunca ser maior que ela.
    """

    def __init__(self) -> None:
        self.mensagens: list[email.message.Message] = []
        self._senhas: dict[
            str, list[tuple[int, str, list[str]]]
        ] = {}  # cpf → (índice, senha, para)
        self._destinos: dict[str, list[str]] = {}  # endereço → corpos
        self._cond = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content)
        corpo = texto_da_mensagem(msg)
        destinos = [d.lower() for d in envelope.rcpt_tos]
        achado = senha_da_mensagem(corpo)
        with self._cond:
            indice = len(self.mensagens)
            self.mensagens.append(msg)
            for destino in destinos:
                self._destinos.setdefault(destino, []).append(corpo)
            if achado is not None:
                self._senhas.setdefault(achado[0], []).append((indice, achado[1], destinos))
            self._cond.notify_all()
        return "250 OK"

    @property
    def total(self) -> int:
        with self._cond:
            return len(self.mensagens)

    def marca(self) -> int:
        """O índice da próxima mensagem (para esperar só as novas)."""
        return self.total

    def para(self, endereco: str) -> list[str]:
        """Os corpos das mensagens entregues a ``endereco``, da mais antiga à mais nova."""
        with self._cond:
            return list(self._destinos.get(endereco.lower(), []))

    def contagem(self, cpf: str) -> int:
        """Quantas mensagens de senha o CPF recebeu."""
        with self._cond:
            return len(self._senhas.get(re.sub(r"\D", "", cpf), []))

    def senha_de(
        self, cpf: str, depois: int = 0, espera: float = 30.0, para: str | None = None
    ) -> str:
        """A senha da mensagem mais nova para ``cpf`` entre as de índice ≥ ``depois`` (e
        entregue a ``para``, se dado); espera até ``espera`` segundos que ela chegue."""
        alvo = re.sub(r"\D", "", cpf)
        fim = time.monotonic() + espera
        with self._cond:
            while True:
                for indice, senha, destinos in reversed(self._senhas.get(alvo, [])):
                    if indice < depois:
                        break
                    if para is None or para.lower() in destinos:
                        return senha
                resta = fim - time.monotonic()
                if resta <= 0:
                    raise AssertionError(f"nenhum e-mail com senha para {formatar_cpf(alvo)}")
                self._cond.wait(resta)


# --- certificados -----------------------------------------------------------------------------


@dataclass
class Pessoa:
    """Alguém com um e-CPF de teste (a chave é compartilhada entre pessoas)."""

    nome: str
    cpf: str
    email: str
    emitido: Any  # icp_teste.CertificadoEmitido (None para quem nunca assina no cenário)

    def assinador(self) -> Any:
        from siops.assinatura.assinador import AssinadorChave

        return AssinadorChave(self.emitido.chave, self.emitido.cert, self.emitido.cadeia)

    def assinar(self, xml: bytes) -> bytes:
        from siops.assinatura.xmldsig import assinar

        return assinar(xml, self.assinador())


@dataclass
class PKI:
    """A hierarquia de teste (raiz → intermediária), chaves RSA reutilizáveis e as pessoas."""

    pasta: Path
    hier: Any  # icp_teste.HierarquiaTeste
    chaves: list[Any]
    pessoas: dict[str, Pessoa] = field(default_factory=dict)
    _n: int = 0

    @property
    def raiz_pem(self) -> Path:
        return self.hier.raiz_pem

    def pessoa(
        self, apelido: str, nome: str | None = None, cpf: str | None = None, **kw: Any
    ) -> Pessoa:
        """A pessoa ``apelido`` (criada na primeira vez; CPF derivado do apelido, a não ser que
        venha; ``kw`` vai para ``icp_teste.emitir_ecpf``, p.ex. datas de validade — uma pessoa
        com ``kw`` é sempre nova e não fica guardada)."""
        from siops.transmissor import icp_teste

        if apelido in self.pessoas and not kw and cpf is None:
            return self.pessoas[apelido]
        if cpf is None:
            h = int.from_bytes(hashlib.sha256(apelido.encode()).digest()[:8], "big")
            cpf = cpf_com_dv(str(h % 10**9).zfill(9))
            if len(set(cpf)) == 1:  # 000.000.000-00 e afins não são CPFs
                cpf = cpf_com_dv("123456780")
        nome = nome or f"Pessoa {apelido}"
        self._n += 1
        chave = self.chaves[self._n % len(self.chaves)]
        emitido = icp_teste.emitir_ecpf(self.hier, nome.upper(), cpf, chave=chave, **kw)
        endereco = re.sub(r"[^a-z0-9]", "", apelido.lower())
        p = Pessoa(nome, cpf, f"{endereco}@saude.exemplo.gov.br", emitido)
        if not kw:
            self.pessoas[apelido] = p
        return p


def nova_pki(pasta: Path) -> PKI:
    """Uma hierarquia nova em ``pasta`` e duas chaves RSA."""
    from siops.transmissor import icp_teste

    hier = icp_teste.gerar_hierarquia(pasta)
    return PKI(pasta, hier, [icp_teste.nova_chave(), icp_teste.nova_chave()])


# --- documentos -------------------------------------------------------------------------------


def momento(deslocamento: float = 0.0) -> str:
    """Agora (mais ``deslocamento`` segundos) em ISO 8601 UTC."""
    quando = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=deslocamento)
    return quando.isoformat(timespec="seconds").replace("+00:00", "Z")


def documento(raiz: str, campos: dict[str, object], quando: str | None = None) -> bytes:
    """Um documento de pedido (sem assinatura) em ``NS`` com ``Momento`` e ``Nonce``."""
    from xml.sax.saxutils import escape

    corpo = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in campos.items() if v is not None)
    corpo += f"<Momento>{quando or momento()}</Momento><Nonce>{secrets.token_hex(16)}</Nonce>"
    return f'<?xml version="1.0" encoding="UTF-8"?><{raiz} xmlns="{NS}">{corpo}</{raiz}>'.encode()


def pedido_cadastro(por: Pessoa, ente: str, papel: str, quem: Pessoa) -> bytes:
    """O ``Cadastro`` de ``quem`` no ``papel`` do ``ente``, assinado por ``por`` (docs/api.md §3)."""
    campos = {"Ente": ente, "Papel": papel, "Nome": quem.nome, "CPF": quem.cpf, "Email": quem.email}
    return por.assinar(documento("Cadastro", campos))


def ops_demo(ente: str, exercicio: int = EXERCICIO, bimestre: int = 1, centavos: int = 0) -> bytes:
    """O .OPS de ``forms.demo.declaracao_demo`` para qualquer ente (sem impeditiva);
    ``centavos`` soma a uma previsão inicial (que nenhuma regra compara): conteúdos distintos."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.demo import declaracao_demo

    d = declaracao_demo(ente, exercicio, bimestre)
    if centavos:
        chave = next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        d.aplicar(DefinirCelula(chave, d.valor(chave) + Decimal(centavos) / 100))
    return ops_format.para_bytes(d)


# --- o servidor -------------------------------------------------------------------------------


def _banco_de_teste() -> dict:
    """Com ``SIOPS_TESTE_BANCO=postgresql``, um banco novo no PostgreSQL descartável da sessão
    (``tests/apoio_postgres``) para cada servidor; sem a variável, o SQLite da pasta de dados."""
    from tests import apoio_postgres

    if apoio_postgres.usar_postgres():
        return {"url_banco": apoio_postgres.cluster().novo_banco()}
    return {}


class Servidor(ServidorLocal):
    """Um ``siops-servidor`` de teste (``ServidorLocal``) e os atalhos dos cenários.

    ``extra`` vai ao ``servidor.json`` por cima de ``CONFIG_TESTE``; ``args`` ao fim da linha de
    comando (``--banco URL``, ``--workers N``, ``--correio-pasta DIR``…); ``https=True`` confia
    na raiz de teste (``verify``) e espera ``--certificado``/``--chave`` em ``args``.
    """

    def __init__(
        self,
        dados: Path,
        pki: PKI,
        smtp_porta: int,
        caixa: Caixa,
        extra: dict | None = None,
        args: list[str] | None = None,
        https: bool = False,
    ) -> None:
        super().__init__(
            dados,
            raizes=[pki.raiz_pem],
            primeiro_exercicio=EXERCICIO,
            smtp=("127.0.0.1", smtp_porta),
            config={**CONFIG_TESTE, **_banco_de_teste(), **(extra or {})},
            args=args or [],
            https=https,
            verificar=str(pki.raiz_pem) if https else True,
        )
        self.pki = pki
        self.caixa = caixa
        self.smtp_porta = smtp_porta
        self.http = requests.Session()
        self.http.trust_env = False  # o servidor é local: nunca pelo proxy do ambiente
        self.http.verify = self.verify

    def vivo(self) -> bool:
        try:
            return self.http.get(f"{self.url}/saude", timeout=5).ok
        except requests.RequestException:
            return False

    # HTTP
    def post_xml(
        self, caminho: str, corpo: bytes, token: str | None = None, **headers: str
    ) -> requests.Response:
        h = {"Content-Type": "application/xml", **headers}
        if token:
            h["Authorization"] = f"Bearer {token}"
        return self.http.post(f"{self.url}{caminho}", data=corpo, headers=h, timeout=60)

    def login(self, cpf: str, senha: str) -> requests.Response:
        return self.http.post(
            f"{self.url}/api/v1/sessoes", json={"cpf": cpf, "senha": senha}, timeout=60
        )

    def token(self, cpf: str, senha: str) -> str:
        r = self.login(cpf, senha)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def cadastrar(self, por: Pessoa, ente: str, papel: str, quem: Pessoa) -> requests.Response:
        return self.post_xml("/api/v1/cadastros", pedido_cadastro(por, ente, papel, quem))

    def cadastrar_chefe(self, ente: str, chefe: Pessoa) -> None:
        r = self.admin(
            "cadastrar-chefe", "--ente", ente, "--nome", chefe.nome, "--cpf", chefe.cpf,
            "--email", chefe.email,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr

    def registrar_cadeia(
        self, ente: str, chefe: Pessoa, secretario: Pessoa, tecnico: Pessoa
    ) -> str:
        """Chefe (admin) → secretário (assinado pelo chefe) → técnico (pelo secretário);
        devolve a senha do técnico lida no e-mail."""
        self.cadastrar_chefe(ente, chefe)
        r = self.cadastrar(chefe, ente, "secretario", secretario)
        assert r.status_code == 201, r.text
        antes = self.caixa.marca()
        r = self.cadastrar(secretario, ente, "tecnico", tecnico)
        assert r.status_code == 201, r.text
        assert r.json()["senha_enviada"] is True
        return self.caixa.senha_de(tecnico.cpf, antes)

    def cadastrar_chefes_em_lote(self, chefes: list[tuple[str, Pessoa]]) -> float:
        """``siops-servidor admin cadastrar-chefe`` para muitos entes de uma vez, com o servidor
        PARADO: o código do próprio comando (``servidor.cadastro.cadastrar_chefe`` sobre um
        ``Contexto`` aberto sem o pool de verificação), num processo em vez de um por ente.
        Devolve os segundos que levou."""
        from siops.servidor import cadastro
        from siops.servidor import config as configuracao
        from siops.servidor.contexto import Contexto

        assert not self.ativo(), "pare o servidor antes"
        t0 = time.monotonic()
        ctx = Contexto.abrir(
            configuracao.carregar(self.dados, raizes=[self.pki.raiz_pem]), pool=False
        )
        try:
            for ente, p in chefes:
                cadastro.cadastrar_chefe(ctx, ente, p.nome, p.cpf, p.email)
        finally:
            ctx.fechar()
        return time.monotonic() - t0

    def transmitir(self, token: str, corpo: bytes, chave: str | None = None) -> requests.Response:
        return self.post_xml(
            "/api/v1/transmissoes",
            corpo,
            token,
            **{"Idempotency-Key": chave or hashlib.sha256(corpo).hexdigest()},
        )

    def homologar(self, gestor: Pessoa, transmissao: dict, **mudar: object) -> requests.Response:
        campos: dict[str, object] = {
            "Protocolo": transmissao["protocolo"],
            "Digest": transmissao["digest"],
            "Ente": transmissao["ente"],
            "Exercicio": transmissao["exercicio"],
            "Bimestre": transmissao["bimestre"],
        }
        campos.update(mudar)
        return self.post_xml(
            "/api/v1/homologacoes", gestor.assinar(documento("Homologacao", campos))
        )

    def situacao(self, uf: str, exercicio: int, bimestre: int) -> str:
        r = self.http.get(
            f"{self.url}/situacao",
            params={"uf": uf, "exercicio": exercicio, "bimestre": bimestre},
            timeout=30,
        )
        assert r.status_code == 200
        return r.text

    def situacao_de(self, uf: str, exercicio: int, bimestre: int, ente: str) -> str:
        """A situação de um ente na página pública (a classe da linha)."""
        html = self.situacao(uf, exercicio, bimestre)
        m = re.search(rf'<tr class="(\w+)" data-ente="{ente}">', html)
        assert m, f"{ente} não está na página"
        return m.group(1)

    def ac_recibos(self) -> Any:
        from cryptography import x509

        return x509.load_pem_x509_certificate(
            self.http.get(f"{self.url}/api/v1/certificado", timeout=10).content
        )

    def verificar(self) -> dict:
        """``siops-servidor admin verificar``: integridade do banco e dos arquivos."""
        r = self.admin("verificar")
        rel = json.loads(r.stdout)
        assert r.returncode == 0 and rel["ok"], rel
        return rel

    def consultar(self, sql: str, *args: object) -> list[tuple]:
        """Uma consulta só de leitura (marcadores ``?``) ao banco do servidor: o PostgreSQL de
        ``url_banco`` no ``servidor.json``, ou o SQLite da pasta de dados."""
        from tests.apoio_postgres import consultar_banco

        return consultar_banco(self.dados, sql, args)

    def arquivos_guardados(self) -> set[str]:
        """Os digests dos arquivos do armazenamento endereçado pelo conteúdo."""
        return {p.name[:-4] for p in (self.dados / "arquivos").glob("*/*/*.xml")}


FabricaServidor = Callable[..., Servidor]


@dataclass
class EnvioDaFila:
    """Clientes que esvaziam uma fila de corpos assinados em ``POST /transmissoes`` (cada um
    com o seu ``Idempotency-Key`` = SHA-256), para os testes de queda: ``reconhecidos`` (digest
    → resposta 200/201) e ``sem_resposta`` (erro de rede ou outro status, para reenviar)."""

    url: str
    token: str
    timeout: float = 30
    reconhecidos: dict[str, dict] = field(default_factory=dict)
    sem_resposta: list[bytes] = field(default_factory=list)
    parar: threading.Event = field(default_factory=threading.Event)
    _trava: threading.Lock = field(default_factory=threading.Lock)

    def cliente(self, fila: Any) -> None:
        """Um cliente (uma thread): envia até a fila acabar ou ``parar``."""
        import queue

        sessao = requests.Session()
        sessao.trust_env = False
        while not self.parar.is_set():
            try:
                corpo = fila.get_nowait()
            except queue.Empty:
                return
            digest = hashlib.sha256(corpo).hexdigest()
            try:
                r = sessao.post(
                    f"{self.url}/api/v1/transmissoes",
                    data=corpo,
                    timeout=self.timeout,
                    headers={
                        "Authorization": f"Bearer {self.token}",
                        "Idempotency-Key": digest,
                        "Content-Type": "application/xml",
                    },
                )
            except requests.RequestException:
                with self._trava:
                    self.sem_resposta.append(corpo)
                continue
            with self._trava:
                if r.status_code in (200, 201):
                    self.reconhecidos[digest] = r.json()
                else:
                    self.sem_resposta.append(corpo)

    def iniciar(self, fila: Any, clientes: int) -> list[threading.Thread]:
        """``clientes`` threads já iniciadas."""
        threads = [threading.Thread(target=self.cliente, args=(fila,)) for _ in range(clientes)]
        for t in threads:
            t.start()
        return threads
