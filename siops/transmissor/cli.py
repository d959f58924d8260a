"""``siopsnet``: o transmissor na linha de comando (sem argumentos, abre a janela).

    siopsnet transmitir ARQ... [--servidor URL] --cpf CPF (--a1 ARQ.pfx | --pkcs11 LIB [--token ROTULO] [--serial-token SERIE])
    siopsnet situacao (ARQ | --protocolo P | --ente E --exercicio A) [--servidor URL] [--cpf CPF]
    siopsnet recibo ARQ [--verificar] [--certificado-servidor PEM]
    siopsnet homologar (ARQ | --protocolo P) [--servidor URL] (--a1 … | --pkcs11 … [--token …] [--serial-token …]) [--sim]
    siopsnet solicitar-retransmissao (ARQ | --ente E --exercicio A --bimestre B) --justificativa TEXTO …
    siopsnet fila [--enviar --cpf CPF]
    siopsnet cadastros --ente E (--a1 … | --pkcs11 …)                         (Módulo de Gestores)
    siopsnet cadastrar --ente E --papel P --nome N --cpf C [--email E] [--telefone T] (--a1 … | --pkcs11 …)
    siopsnet alterar-contato --ente E --papel P --cpf C --email E [--telefone T] (--a1 … | --pkcs11 …)
    siopsnet esqueci-senha --cpf CPF
    siopsnet retransmissao ID (--a1 … | --pkcs11 …)
    siopsnet controle-externo --ente E --exercicio A --valor-aplicado V --percentual P (--a1 … | --pkcs11 …)

Senhas e PINs vêm de um prompt ou das variáveis de ambiente SIOPS_SENHA (senha do técnico no
servidor), SIOPS_SENHA_PFX (senha do arquivo A1) e SIOPS_PIN (PIN do token) — nunca de um
argumento. Mensagens em português na saída de erro; ``--json`` imprime o resultado na saída
padrão. Saída: 0 sucesso; 1 recusado pelo servidor (ou recibo que não confere); 2 entrada
inválida (arquivo, certificado, PIN, token); 3 sem rede — em ``transmitir``, a cópia assinada
ficou na fila (sempre: se nem o login chega ao servidor, o arquivo é assinado assim mesmo e vai
para a fila, que entra e envia depois).

Cada operação com o servidor (um pedido com todas as tentativas) tem um prazo total
(``--prazo``, 120 s por padrão): um servidor que não responde não prende o usuário além dele.
Inteiros (``--exercicio``, ``--bimestre``, ``--tentativas``, ``--prazo``) só com algarismos de 0
a 9, dentro do intervalo (``forms.argumentos``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from siops.forms import argumentos
from siops.forms.argumentos import ParserPt

#: The default time budget of one operation (``transmissor.cliente.PRAZO_PADRAO``; not imported
#: from there so that ``--help`` does not load ``requests``).
PRAZO_PADRAO = 120.0

ENV_SENHA = "SIOPS_SENHA"
ENV_SENHA_PFX = "SIOPS_SENHA_PFX"
ENV_PIN = "SIOPS_PIN"

OK, RECUSADO, ENTRADA, REDE = 0, 1, 2, 3


class Saida(Exception):
    """Fim do comando com uma mensagem e um código de saída."""

    def __init__(self, mensagem: str, codigo: int) -> None:
        super().__init__(mensagem)
        self.codigo = codigo


def _erro(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- argumentos


def _comuns_servidor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--servidor", help="endereço do servidor (padrão: o das configurações)")
    p.add_argument("--proxy", help="proxy HTTP(S) explícito, ex.: http://proxy.prefeitura:3128")
    p.add_argument("--sem-proxy", action="store_true", help="não usar proxy algum")
    p.add_argument("--ca", help="arquivo PEM das ACs em que confiar no HTTPS")
    p.add_argument(
        "--tentativas",
        type=argumentos.inteiro("o número de tentativas", 1, 20),
        default=5,
        help="tentativas em falha de rede (padrão 5)",
    )
    p.add_argument(
        "--prazo",
        metavar="SEGUNDOS",
        type=argumentos.inteiro("o prazo", 1, 3600),
        default=None,
        help="tempo máximo de cada operação com o servidor, somadas as tentativas (padrão "
        f"{PRAZO_PADRAO:.0f})",
    )
    p.add_argument("--json", action="store_true", help="resultado em JSON na saída padrão")


def _comuns_certificado(p: argparse.ArgumentParser, obrigatorio: bool = True) -> None:
    g = p.add_mutually_exclusive_group(required=obrigatorio)
    g.add_argument(
        "--a1", metavar="ARQ.pfx", help=f"certificado A1 (senha: prompt ou {ENV_SENHA_PFX})"
    )
    g.add_argument(
        "--pkcs11",
        metavar="LIB",
        nargs="?",
        const="",
        help=f"certificado A3: módulo PKCS#11 do token (vazio: procura os comuns; PIN: prompt ou {ENV_PIN})",
    )
    p.add_argument("--token", metavar="ROTULO", help="rótulo do token (padrão: o único conectado)")
    p.add_argument(
        "--serial-token",
        metavar="SERIE",
        help="número de série do token, quando há mais de um com o mesmo rótulo (com --token, "
        "os dois precisam conferir)",
    )
    p.add_argument(
        "--cka-id", metavar="HEX", help="CKA_ID do certificado no token, se houver vários"
    )
    p.add_argument(
        "--raizes",
        nargs="*",
        default=None,
        help="PEM das ACs raiz em que confiar ao conferir o certificado (padrão: as das "
        "configurações, ou as ACs Raiz oficiais da ICP-Brasil distribuídas com o programa)",
    )
    p.add_argument(
        "--intermediarios",
        nargs="*",
        default=(),
        help="PEM de ACs intermediárias que o token não guarda (a cadeia vai no KeyInfo)",
    )


def construir_parser() -> argparse.ArgumentParser:
    """O analisador de argumentos do ``siopsnet``."""
    p = ParserPt(
        prog="siopsnet",
        description="Transmissor SIOPS: assina com certificado ICP-Brasil (A1 ou token A3), "
        "envia a declaração, guarda e confere o recibo, homologa. Sem comando, abre a janela.",
        epilog=f"Variáveis de ambiente: {ENV_SENHA} (senha do técnico no servidor), "
        f"{ENV_SENHA_PFX} (senha do arquivo A1), {ENV_PIN} (PIN do token). "
        "Saída: 0 sucesso; 1 recusado pelo servidor; 2 entrada inválida; 3 sem rede (em "
        "transmitir, a cópia assinada fica na fila).",
    )
    sub = p.add_subparsers(dest="comando", metavar="COMANDO", title="comandos")

    s = sub.add_parser("transmitir", help="assina e envia arquivos de transm/")
    s.add_argument(
        "arquivos", nargs="+", metavar="ARQ", help="cópias de transmissão (.OPS em transm/)"
    )
    s.add_argument("--cpf", help=f"CPF do técnico (senha: prompt ou {ENV_SENHA})")
    _comuns_servidor(s)
    _comuns_certificado(s)

    s = sub.add_parser("situacao", help="situação de uma transmissão ou de um ente")
    s.add_argument(
        "arquivo", nargs="?", metavar="ARQ", help="cópia transmitida (usa o protocolo anotado)"
    )
    s.add_argument("--protocolo")
    s.add_argument(
        "--ente", help="código do ente (ex.: M355030), para a situação dos seis bimestres"
    )
    s.add_argument("--exercicio", type=argumentos.exercicio)
    s.add_argument("--cpf", help=f"CPF do técnico (senha: prompt ou {ENV_SENHA})")
    _comuns_servidor(s)

    s = sub.add_parser("recibo", help="mostra ou confere (fora de linha) o recibo de um arquivo")
    s.add_argument("arquivo", metavar="ARQ", help="a cópia .OPS ou o .recibo.xml")
    s.add_argument(
        "--verificar", action="store_true", help="confere assinatura, resumo e protocolo"
    )
    s.add_argument(
        "--certificado-servidor",
        metavar="PEM",
        help="AC de recibos do servidor (padrão: a guardada)",
    )
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("homologar", help="homologação pelo gestor (assina também o demonstrativo)")
    s.add_argument(
        "arquivo", nargs="?", metavar="ARQ", help="cópia transmitida (usa o protocolo anotado)"
    )
    s.add_argument("--protocolo")
    s.add_argument(
        "--sem-pdf", action="store_true", help="não assinar nem enviar o demonstrativo em PDF"
    )
    s.add_argument("--sim", action="store_true", help="não pedir confirmação depois do resumo")
    s.add_argument("--saida", metavar="PDF", help="onde gravar o demonstrativo assinado")
    _comuns_servidor(s)
    _comuns_certificado(s)

    s = sub.add_parser("solicitar-retransmissao", help="pedido justificado do gestor")
    s.add_argument(
        "arquivo", nargs="?", metavar="ARQ", help="cópia do período (para ente/exercício/bimestre)"
    )
    s.add_argument("--ente")
    s.add_argument("--exercicio", type=argumentos.exercicio)
    s.add_argument("--bimestre", type=argumentos.bimestre)
    s.add_argument("--justificativa", required=True, help="de 20 a 2000 caracteres")
    _comuns_servidor(s)
    _comuns_certificado(s)

    # Módulo de Gestores (issue 22): o certificado de quem assina é o do gestor
    s = sub.add_parser(
        "cadastros",
        help="Módulo de Gestores: quem está cadastrado no ente (o que o seu papel pode ver)",
        description="Entra com o certificado do gestor e lista os cadastros do ente que ele pode "
        "ver: o prefeito ou governador vê o próprio, o do substituto e os do secretário de "
        "saúde; o secretário vê o próprio e o do técnico. Diz também o que ele pode cadastrar.",
    )
    s.add_argument("--ente", required=True, help="código do ente (ex.: M355030)")
    _comuns_servidor(s)
    _comuns_certificado(s)

    s = sub.add_parser(
        "cadastrar",
        help="Módulo de Gestores: cadastra (ou substitui) o secretário, um substituto ou o técnico",
        description="Assina com o certificado do gestor o cadastro de uma pessoa num papel do "
        "ente; o novo cadastro substitui o anterior nesse papel. O prefeito ou governador "
        "cadastra o substituto (substituto_chefe), o secretário de saúde (secretario) e o "
        "substituto do secretário (substituto_secretario); o secretário ou o substituto "
        "cadastra o técnico responsável pelo envio (tecnico), que recebe a senha por e-mail. "
        "Um novo secretário precisa cadastrar o técnico de novo.",
    )
    s.add_argument("--ente", required=True, help="código do ente (ex.: M355030)")
    s.add_argument(
        "--papel",
        required=True,
        help="substituto_chefe, secretario, substituto_secretario ou tecnico",
    )
    s.add_argument("--nome", required=True, help="nome completo da pessoa cadastrada")
    s.add_argument("--cpf", required=True, help="CPF da pessoa cadastrada")
    s.add_argument(
        "--email", default="", help="e-mail (obrigatório para o técnico: a senha vai nele)"
    )
    s.add_argument("--telefone", default="", help="telefone de contato (opcional)")
    _comuns_servidor(s)
    _comuns_certificado(s)

    s = sub.add_parser(
        "alterar-contato",
        help="Módulo de Gestores: muda só o e-mail e o telefone de um cadastro (ALTERAR)",
        description="Muda o e-mail e o telefone de quem está cadastrado, sem novo cadastro e "
        "sem senha nova. Depois de mudar o e-mail do técnico, ele usa esqueci-senha para "
        "receber uma senha nova no endereço novo.",
    )
    s.add_argument("--ente", required=True, help="código do ente (ex.: M355030)")
    s.add_argument("--papel", required=True, help="o papel do cadastro (ex.: tecnico)")
    s.add_argument("--cpf", required=True, help="CPF da pessoa cadastrada")
    s.add_argument("--email", required=True, help="o e-mail novo")
    s.add_argument("--telefone", default="", help="o telefone novo (opcional)")
    _comuns_servidor(s)
    _comuns_certificado(s)

    s = sub.add_parser(
        "esqueci-senha",
        help='"Esqueceu a senha": senha nova do técnico no e-mail cadastrado',
    )
    s.add_argument("--cpf", required=True, help="CPF do técnico")
    _comuns_servidor(s)

    s = sub.add_parser(
        "retransmissao",
        help="acompanha um pedido de retransmissão (solicitada, autorizada, utilizada)",
    )
    s.add_argument(
        "id",
        type=argumentos.inteiro("o número do pedido", 1),
        help="o número do pedido (dado por solicitar-retransmissao)",
    )
    _comuns_servidor(s)
    _comuns_certificado(s)

    from siops.transmissor import siopsnet_tc  # o Módulo de Controle Externo (issue 25)

    siopsnet_tc.adicionar_parser(sub, _comuns_servidor, _comuns_certificado)

    s = sub.add_parser("fila", help="lista (ou envia) as transmissões que esperam rede")
    s.add_argument("--enviar", action="store_true", help="tenta enviar agora")
    s.add_argument("--cpf", help=f"CPF do técnico (senha: prompt ou {ENV_SENHA})")
    _comuns_servidor(s)
    return p


# ---------------------------------------------------------------------------- peças


def _segredo(variavel: str, pergunta: str) -> str:
    valor = os.environ.get(variavel)
    if valor:
        return valor
    try:
        return getpass.getpass(pergunta)
    except (EOFError, KeyboardInterrupt):
        raise Saida("Operação cancelada.", ENTRADA) from None


def _pin_handler() -> Callable[[str, str | None], str | None]:
    def pedir(token: str, aviso: str | None) -> str | None:
        if aviso:
            _erro(aviso)
        valor = os.environ.get(ENV_PIN)
        if valor:
            return valor
        try:
            return getpass.getpass(f"PIN do {token}: ") or None
        except (EOFError, KeyboardInterrupt):
            return None

    return pedir


def _configuracoes() -> Any:
    from siops.transmissor.config import Configuracoes

    return Configuracoes.carregar()


def _cliente(a: argparse.Namespace) -> Any:
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede

    conf = _configuracoes()
    proxy = "" if a.sem_proxy else (a.proxy if a.proxy else conf.proxy_efetivo)
    rede = ConfigRede(
        servidor=a.servidor or conf.servidor,
        proxy=proxy,
        ca_bundle=a.ca or conf.ca_bundle or None,
        tentativas=max(1, a.tentativas),
        prazo_total=float(a.prazo or PRAZO_PADRAO),
    )
    return ClienteSIOPS(rede)


def _cpf(cpf: str | None) -> str:
    """O CPF do técnico (``--cpf`` ou o das configurações), conferido."""
    cpf = cpf or _configuracoes().cpf
    if not cpf:
        raise Saida("Informe o CPF do técnico com --cpf.", ENTRADA)
    from siops.assinatura.certificados import cpf_valido, so_digitos

    if not cpf_valido(cpf):
        raise Saida(f"O CPF {cpf} não é válido (confira os dígitos).", ENTRADA)
    return so_digitos(cpf)


def _entrar(cliente: Any, cpf: str | None) -> None:
    cpf = _cpf(cpf)
    from siops.assinatura.certificados import formatar_cpf

    senha = _segredo(ENV_SENHA, f"Senha do SIOPS para o CPF {formatar_cpf(cpf)}: ")
    cliente.entrar(cpf, senha)


def _intermediarios(a: argparse.Namespace) -> list[Any]:
    """As ACs de ``--intermediarios``, as indicadas na janela ("ACs intermediárias…") e as
    distribuídas com o programa."""
    from cryptography import x509

    saida: list[Any] = []
    for p in getattr(a, "intermediarios", None) or ():
        try:
            saida += x509.load_pem_x509_certificates(Path(p).read_bytes())
        except (OSError, ValueError):
            raise Saida(f"Não foi possível ler as ACs intermediárias de {p}.", ENTRADA) from None
    return saida + _configuracoes().intermediarios()


def _revogacao(a: argparse.Namespace) -> Any:
    """A consulta de LCR/OCSP antes de assinar (branda, como a janela), pelo proxy escolhido."""
    from siops.assinatura.revogacao import Revogacao

    conf = _configuracoes()
    if getattr(a, "sem_proxy", False):
        proxy: str | None = ""
    else:
        proxy = getattr(a, "proxy", None) or conf.proxy_efetivo
    return Revogacao(estrita=False, proxy=proxy)


def _assinador(a: argparse.Namespace) -> Any:
    """O assinador escolhido (A1 ou token), com a cadeia completada como na janela
    (``assinatura.cadeia.ComCadeia``: do .pfx ou do token, de ``--intermediarios``, das ACs
    indicadas na janela, das distribuídas com o programa ou do caIssuers do AIA): ela vai no
    KeyInfo, e o servidor não precisa conhecer as ACs intermediárias."""
    from siops.assinatura.assinador import AssinadorA1, AssinadorPKCS11, CriterioToken
    from siops.assinatura.cadeia import ComCadeia

    intermediarios = _intermediarios(a)
    if a.a1:
        interno: Any = AssinadorA1(
            a.a1, _segredo(ENV_SENHA_PFX, f"Senha do certificado A1 ({Path(a.a1).name}): ")
        )
    else:
        cka = bytes.fromhex(a.cka_id) if a.cka_id else None
        criterio = CriterioToken(a.token or None, a.serial_token or None)
        interno = AssinadorPKCS11(a.pkcs11 or None, criterio, _pin_handler(), cka_id=cka)
    return ComCadeia(interno, intermediarios, _revogacao(a))


def _raizes(a: argparse.Namespace) -> list[Any]:
    from cryptography import x509

    if a.raizes is None:
        return _configuracoes().raizes()
    saida = []
    for p in a.raizes:
        try:
            saida += x509.load_pem_x509_certificates(Path(p).read_bytes())
        except (OSError, ValueError):
            raise Saida(f"Não foi possível ler as ACs raiz de {p}.", ENTRADA) from None
    return saida


def _imprimir_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _protocolo_de(arquivo: str | None, protocolo: str | None) -> tuple[str, Path | None]:
    from siops.transmissor.recibos import Arquivos, RegistroTransmissao

    if protocolo:
        return protocolo, Path(arquivo) if arquivo else None
    if not arquivo:
        raise Saida("Informe o arquivo transmitido ou --protocolo.", ENTRADA)
    reg = RegistroTransmissao.ler(Arquivos(Path(arquivo).resolve()).recibo_json)
    if reg is None:
        raise Saida(
            f"{Path(arquivo).name} ainda não foi transmitido (não há recibo ao lado dele).", ENTRADA
        )
    return reg.protocolo, Path(arquivo)


# ---------------------------------------------------------------------------- comandos


def cmd_transmitir(a: argparse.Namespace) -> int:
    """Assina e envia cada arquivo; o pior resultado decide a saída.

    A saída 3 promete que a cópia assinada está na fila. Por isso, se o servidor não responde
    já no login, os arquivos são assinados assim mesmo (o certificado é conferido contra o CPF
    informado) e postos na fila, que entra e envia depois (``siopsnet fila --enviar``, ou a
    janela). Depois da primeira falha de rede, os arquivos seguintes vão direto para a fila, sem
    gastar de novo o prazo de cada um.
    """
    from siops.transmissor import config, operacoes
    from siops.transmissor.cliente import FalhaDeRede
    from siops.transmissor.fila import FilaOffline

    cliente = _cliente(a)
    for arq in a.arquivos:  # confere os arquivos antes de pedir senha e PIN
        operacoes.ler_copia(arq)
    raizes = _raizes(a)
    cpf = _cpf(a.cpf)
    sem_rede: FalhaDeRede | None = None
    try:
        _entrar(cliente, cpf)
    except FalhaDeRede as erro:
        sem_rede = erro
    fila = FilaOffline(config.pasta_dados() / "fila")
    assinador = _assinador(a)
    revogacao = _revogacao(a)
    codigo, resultados = OK, []
    with assinador:
        _erro(f"Assina: {operacoes.quem_assina(assinador)}")
        for arq in a.arquivos:
            r = operacoes.transmitir_arquivo(
                arq,
                assinador,
                cliente,
                fila,
                cpf=cpf,
                raizes=raizes,
                sem_rede=sem_rede,
                revogacao=revogacao,
            )
            if r.estado == "na_fila" and sem_rede is None:
                sem_rede = r.falha
            if r.aviso_certificado:
                _erro(r.aviso_certificado)
            _erro(f"{Path(arq).name}: {r.mensagem}")
            if r.aviso_recibo:
                _erro(r.aviso_recibo)
            for av in r.avisos:
                _erro(f"  aviso {av.get('codigo', '')}: {av.get('mensagem', '')}")
            codigo = max(
                codigo, {"transmitido": OK, "recusado": RECUSADO, "na_fila": REDE}[r.estado]
            )
            resultados.append(
                {
                    "arquivo": str(r.arquivo),
                    "estado": r.estado,
                    "protocolo": r.protocolo,
                    "repeticao": r.repeticao,
                    "mensagem": r.mensagem,
                    "avisos": r.avisos,
                    "codigo_recusa": r.recusa.codigo if r.recusa else "",
                }
            )
    if a.json:
        _imprimir_json(resultados)
    return codigo


def cmd_situacao(a: argparse.Namespace) -> int:
    """Situação de um protocolo (com login) ou de um ente (pública)."""
    cliente = _cliente(a)
    if a.ente:
        if not a.exercicio:
            raise Saida("Informe --exercicio junto com --ente.", ENTRADA)
        dados = cliente.situacao_ente(a.ente, a.exercicio)
        if a.json:
            _imprimir_json(dados)
        else:
            print(f"{dados.get('nome', a.ente)} — exercício {a.exercicio}")
            for b in dados.get("bimestres", []):
                extra = f" — protocolo {b['protocolo']}" if b.get("protocolo") else ""
                print(f"  {b.get('bimestre')}º bimestre: {b.get('situacao')}{extra}")
        return OK
    protocolo, arquivo = _protocolo_de(a.arquivo, a.protocolo)
    _entrar(cliente, a.cpf)
    if arquivo is not None:
        from siops.transmissor import operacoes

        est = operacoes.atualizar_situacao(arquivo, cliente)
        dados = {
            "arquivo": str(arquivo),
            "estado": est.estado,
            "texto": est.texto,
            "protocolo": protocolo,
        }
        texto = f"{arquivo.name}: {est.texto}"
    else:
        dados = cliente.situacao(protocolo)
        texto = f"Protocolo {protocolo}: {dados.get('situacao')}"
    if a.json:
        _imprimir_json(dados)
    else:
        print(texto)
    return OK


def cmd_recibo(a: argparse.Namespace) -> int:
    """Mostra o recibo anotado; com --verificar, confere-o sem rede."""
    from cryptography import x509

    from siops.transmissor import operacoes
    from siops.transmissor.recibos import Arquivos, ReciboInvalido, RegistroTransmissao

    p = Path(a.arquivo).resolve()
    ops = (
        p.with_name(p.name[: -len(".recibo.xml")] + ".OPS") if p.name.endswith(".recibo.xml") else p
    )
    if not a.verificar:
        reg = RegistroTransmissao.ler(Arquivos(ops).recibo_json)
        if reg is None:
            raise Saida(f"Não há recibo guardado para {ops.name}.", ENTRADA)
        if a.json:
            _imprimir_json(asdict(reg))
        else:
            print(
                f"{ops.name}: protocolo {reg.protocolo}, recebido em {reg.recebido_em}, situação {reg.situacao}"
            )
        return OK
    ancoras = None
    if a.certificado_servidor:
        try:
            ancoras = x509.load_pem_x509_certificates(Path(a.certificado_servidor).read_bytes())
        except (OSError, ValueError):
            raise Saida(f"Não foi possível ler {a.certificado_servidor}.", ENTRADA) from None
    try:
        c = operacoes.recibo_local(ops, ancoras)
    except ReciboInvalido as erro:
        _erro(str(erro))
        return RECUSADO
    if a.json:
        _imprimir_json(asdict(c) | {"valido": True})
    else:
        print(
            f"Recibo válido: protocolo {c.protocolo}, {c.nome_ente or c.ente}, {c.exercicio} "
            f"{c.bimestre}º bimestre, {c.data_hora}, assinado por {c.assinado_por}; o arquivo "
            "guardado é o que foi recebido."
        )
    return OK


def cmd_homologar(a: argparse.Namespace) -> int:
    """Mostra o resumo do que o servidor recebeu e homologa (com o demonstrativo assinado)."""
    from siops.transmissor import operacoes

    protocolo, arquivo = _protocolo_de(a.arquivo, a.protocolo)
    cliente = _cliente(a)
    raizes = _raizes(a)
    assinador = _assinador(a)
    with assinador:
        prep = operacoes.preparar_homologacao(
            cliente, assinador, protocolo, raizes, _intermediarios(a)
        )
        _erro(prep.resumo)
        _erro(f"Assina: {operacoes.quem_assina(assinador)}")
        if not a.sim:
            try:
                resposta = input("Homologar estes dados? Digite SIM para confirmar: ")
            except EOFError:
                resposta = ""
            if resposta.strip().upper() != "SIM":
                raise Saida("Homologação não feita.", ENTRADA)
        res = operacoes.concluir_homologacao(
            cliente, assinador, prep, com_pdf=not a.sem_pdf, arquivo_local=arquivo
        )
    if res.pdf is not None and a.saida:
        from siops.transmissor.recibos import gravar_atomico

        gravar_atomico(Path(a.saida), res.pdf)
    _erro(f"Homologado — protocolo {protocolo}.")
    if res.aviso:
        _erro(res.aviso)
    if a.json:
        _imprimir_json({k: v for k, v in res.dados.items() if k != "recibo"})
    return OK


def cmd_solicitar_retransmissao(a: argparse.Namespace) -> int:
    """Pede a retransmissão de um período homologado, com justificativa."""
    from siops.transmissor import operacoes

    ente, exercicio, bimestre = a.ente, a.exercicio, a.bimestre
    if a.arquivo:
        _dados, d = operacoes.ler_copia(a.arquivo)
        ente, exercicio, bimestre = d.ente.codigo, d.exercicio, d.bimestre
    if not (ente and exercicio and bimestre):
        raise Saida("Informe o arquivo do período ou --ente, --exercicio e --bimestre.", ENTRADA)
    cliente = _cliente(a)
    resp = operacoes.solicitar_retransmissao(
        cliente, _assinador(a), ente, exercicio, bimestre, a.justificativa
    )
    _erro(
        f"Retransmissão solicitada (pedido {resp.get('id')}): a liberação ocorre em até cinco dias "
        "úteis; depois, transmita e homologue de novo."
    )
    if a.json:
        _imprimir_json(resp)
    return OK


def cmd_fila(a: argparse.Namespace) -> int:
    """Lista a fila; com --enviar, tenta enviar o que estiver nela."""
    from siops.transmissor import config, operacoes
    from siops.transmissor.fila import FilaOffline

    fila = FilaOffline(config.pasta_dados() / "fila")
    if not a.enviar:
        itens = fila.itens()
        if a.json:
            _imprimir_json([asdict(i) for i in itens])
            return OK
        if not itens:
            print("A fila está vazia.")
        for i in itens:
            print(
                f"{Path(i.arquivo).name} → {i.servidor} ({i.tentativas} tentativa(s); {i.ultimo_erro})"
            )
        return OK
    cliente = _cliente(a)
    if not fila.itens(cliente.base):
        _erro("A fila está vazia para este servidor.")
        return OK
    _entrar(cliente, a.cpf)
    codigo = OK
    for r in operacoes.processar_fila(cliente, fila):
        _erro(f"{r.arquivo.name}: {r.mensagem}")
        codigo = max(codigo, {"transmitido": OK, "recusado": RECUSADO, "na_fila": REDE}[r.estado])
    return codigo


def cmd_cadastros(a: argparse.Namespace) -> int:
    """Módulo de Gestores: o quadro de cadastros que o gestor do certificado pode ver."""
    from siops.transmissor import gestores

    codigo = gestores.codigo_ente(a.ente)
    cliente = _cliente(a)
    with _assinador(a) as assinador:
        gestores.entrar(cliente, assinador)
    try:
        quadro = gestores.cadastros(cliente, codigo)
    finally:
        cliente.sair()
    if a.json:
        _imprimir_json(quadro.como_json())
    else:
        print(quadro.texto())
    return OK


def cmd_cadastrar(a: argparse.Namespace) -> int:
    """Módulo de Gestores: o ``Cadastro`` assinado pelo gestor."""
    from siops.transmissor import gestores

    campos = gestores.conferir_cadastro(a.ente, a.papel, a.nome, a.cpf, a.email, a.telefone)
    cliente = _cliente(a)
    with _assinador(a) as assinador:
        resp = gestores.cadastrar(cliente, assinador, *campos)
    from siops.assinatura.certificados import formatar_cpf

    texto = f"{resp.get('nome', a.nome)} (CPF {formatar_cpf(campos[3])}) cadastrado(a)."
    if resp.get("senha_enviada"):
        texto += " A senha de acesso foi enviada para o e-mail informado."
    for x in resp.get("anulados", []) or []:
        texto += (
            f"\n  O cadastro anterior ({x.get('papel')}, CPF {formatar_cpf(str(x.get('cpf')))}) "
            "deixou de valer."
        )
    if any(x.get("papel") == "tecnico" for x in resp.get("anulados", []) or []):
        texto += "\n  Cadastre de novo o técnico responsável pelo envio (siopsnet cadastrar --papel tecnico)."
    for av in resp.get("avisos", []) or []:
        texto += f"\n  Aviso: {av}"
    _erro(texto)
    if a.json:
        _imprimir_json(resp)
    return OK


def cmd_alterar_contato(a: argparse.Namespace) -> int:
    """Módulo de Gestores: "ALTERAR" (e-mail e telefone)."""
    from siops.transmissor import gestores

    campos = gestores.conferir_contato(a.ente, a.papel, a.cpf, a.email, a.telefone)
    cliente = _cliente(a)
    with _assinador(a) as assinador:
        resp = gestores.alterar_contato(cliente, assinador, *campos)
    _erro(str(resp.get("mensagem") or "Contato alterado."))
    if a.json:
        _imprimir_json(resp)
    return OK


def cmd_esqueci_senha(a: argparse.Namespace) -> int:
    """ "Esqueceu a senha" do técnico."""
    from siops.transmissor import gestores

    cpf = gestores.conferir_cpf(a.cpf, "do técnico")
    mensagem = gestores.esqueci_senha(_cliente(a), cpf)
    _erro(mensagem)
    if a.json:
        _imprimir_json({"cpf": cpf, "mensagem": mensagem})
    return OK


def cmd_retransmissao(a: argparse.Namespace) -> int:
    """Acompanha um pedido de retransmissão (sessão de gestor pelo certificado)."""
    from siops.transmissor import gestores

    cliente = _cliente(a)
    with _assinador(a) as assinador:
        gestores.entrar(cliente, assinador)
    try:
        dados = gestores.retransmissao(cliente, a.id)
    finally:
        cliente.sair()
    if a.json:
        _imprimir_json(dados)
    else:
        print(gestores.texto_retransmissao(dados))
    return OK


COMANDOS: dict[str, Callable[[argparse.Namespace], int]] = {
    "transmitir": cmd_transmitir,
    "situacao": cmd_situacao,
    "recibo": cmd_recibo,
    "homologar": cmd_homologar,
    "solicitar-retransmissao": cmd_solicitar_retransmissao,
    "fila": cmd_fila,
    "cadastros": cmd_cadastros,
    "cadastrar": cmd_cadastrar,
    "alterar-contato": cmd_alterar_contato,
    "esqueci-senha": cmd_esqueci_senha,
    "retransmissao": cmd_retransmissao,
    "controle-externo": lambda a: _siopsnet_tc().cmd_controle_externo(a),
}


def _siopsnet_tc() -> Any:
    from siops.transmissor import siopsnet_tc

    return siopsnet_tc


def executar(argv: Sequence[str] | None = None) -> int:
    """Roda um comando e devolve o código de saída (sem ``sys.exit``; para os testes)."""
    from siops.assinatura.assinador import ErroAssinador
    from siops.assinatura.certificados import CertificadoInvalido
    from siops.assinatura.xmldsig import AssinaturaInvalida
    from siops.transmissor.cliente import (
        EnderecoRecusado,
        ErroCliente,
        FalhaDeRede,
        RecusadoPeloServidor,
    )
    from siops.transmissor.documentos import DocumentoInvalido
    from siops.transmissor.gestores import EntradaInvalida
    from siops.transmissor.operacoes import ArquivoRecusado
    from siops.transmissor.pades import ErroPAdES

    a = construir_parser().parse_args(argv)
    try:
        return COMANDOS[a.comando](a)
    except Saida as s:
        _erro(str(s))
        return s.codigo
    except RecusadoPeloServidor as e:
        _erro(e.texto_completo)
        return RECUSADO
    except FalhaDeRede as e:
        _erro(str(e))
        return REDE
    except (
        ArquivoRecusado,
        CertificadoInvalido,
        ErroAssinador,
        EnderecoRecusado,
        AssinaturaInvalida,
        DocumentoInvalido,
        EntradaInvalida,
        ErroPAdES,
    ) as e:
        _erro(str(e))
        return ENTRADA
    except ErroCliente as e:
        _erro(str(e))
        return RECUSADO
    except KeyboardInterrupt:
        _erro("Operação interrompida.")
        return ENTRADA


def main(argv: Sequence[str] | None = None) -> int:
    """Ponto de entrada do console script ``siopsnet``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from siops.transmissor.gui.janela import main as abrir_janela  # só aqui entra o Qt

        return abrir_janela()
    return executar(args)
