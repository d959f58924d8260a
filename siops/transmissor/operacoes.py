"""As operações do transmissor, iguais na janela e na linha de comando.

* ``transmitir_arquivo``: lê a cópia de ``transm/``, confere o certificado (vigência, CPF do
  usuário, cadeia se houver raízes configuradas), assina, envia; sem rede (também quando nem o
  login chegou ao servidor), põe a cópia assinada na fila; aceito, guarda e confere o recibo;
  recusado, guarda o motivo (uma cópia já substituída por outra transmissão do período é
  recusada com o protocolo que a substituiu).
* ``processar_fila``: reenvia o que ficou na fila (os mesmos bytes: mesmo protocolo).
* ``estado_arquivo`` / ``listar_transm``: pendente, na fila, transmitido, homologado, recusado.
* ``preparar_homologacao`` / ``concluir_homologacao``: o gestor vê o resumo do que o servidor
  recebeu, assina a homologação e o demonstrativo (PAdES).
* ``solicitar_retransmissao``: o pedido justificado e assinado do gestor.

Nada é enviado se o certificado não serve: as conferências vêm antes da assinatura.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from siops.assinatura import xmldsig
from siops.assinatura.assinador import Assinador
from siops.assinatura.certificados import (
    FatosCertificado,
    data_hora_br,
    exigir_cpf,
    formatar_cnpj,
    mascarar_cpf,
    validar_cadeia,
    validar_vigencia,
)
from siops.assinatura.revogacao import Revogacao
from siops.forms.tempo import data_br, em_brasilia
from siops.transmissor import config as cfg
from siops.transmissor import documentos
from siops.transmissor.cliente import (
    ClienteSIOPS,
    ErroCliente,
    FalhaDeRede,
    Progresso,
    RecusadoPeloServidor,
    SessaoExpirada,
)
from siops.transmissor.fila import FilaOffline
from siops.transmissor.recibos import (
    Arquivos,
    ReciboConferido,
    ReciboInvalido,
    RegistroTransmissao,
    conferir_recibo,
    gravar_atomico,
    sha256_arquivo,
)


class ArquivoRecusado(Exception):
    """A cópia de transmissão não pode ser lida (mensagem em português; saída 2 na CLI)."""


@dataclass
class Resultado:
    """O fim de uma transmissão: ``estado`` é "transmitido", "na_fila" ou "recusado"."""

    estado: str
    mensagem: str
    arquivo: Path
    protocolo: str = ""
    repeticao: bool = False
    recibo: ReciboConferido | None = None
    aviso_recibo: str = ""
    avisos: list[dict[str, Any]] = field(default_factory=list)
    recusa: RecusadoPeloServidor | None = None
    falha: FalhaDeRede | None = None  # "na_fila": a falha de rede que a pôs lá
    aviso_certificado: str = ""  # a LCR não pôde ser consultada antes de assinar


# ---------------------------------------------------------------------------- cópia e certificado


def ler_copia(caminho: str | Path) -> tuple[bytes, Any]:
    """Os bytes da cópia de transmissão e a ``Declaracao`` (``ArquivoRecusado`` se inválida)."""
    from siops.ops_format import ArquivoInvalido, de_bytes

    p = Path(caminho)
    try:
        dados = p.read_bytes()
    except FileNotFoundError:
        raise ArquivoRecusado(f"O arquivo {p} não foi encontrado.") from None
    except OSError as erro:
        raise ArquivoRecusado(f"Não foi possível ler {p}: {erro.strerror}.") from None
    try:
        d = de_bytes(dados, p.name)
    except ArquivoInvalido as erro:
        raise ArquivoRecusado(str(erro)) from None
    return dados, d


def conferir_certificado(
    assinador: Assinador,
    cpf: str,
    raizes: Sequence[x509.Certificate] = (),
    quando: dt.datetime | None = None,
    revogacao: Revogacao | None = None,
    avisos: list[str] | None = None,
) -> FatosCertificado:
    """Vigência, CPF do usuário e (com raízes configuradas) cadeia, política e revogação;
    levanta ``CertificadoInvalido``.

    ``revogacao`` (o transmissor usa a branda, ``Configuracoes.revogacao``): um certificado
    revogado é recusado antes de assinar; uma LCR que não pôde ser obtida vira um aviso em
    ``avisos`` e a assinatura segue (o servidor, estrito, decide).
    """
    cert = assinador.certificado
    validar_vigencia(cert, quando)
    fatos = exigir_cpf(cert, cpf)
    if raizes:
        validar_cadeia(cert, assinador.cadeia, raizes, quando, revogacao, avisos)
    return fatos


DIAS_AVISO_VENCIMENTO = 30
"""A partir de quantos dias antes do vencimento quem assina é avisado."""


def aviso_vencimento(fatos: FatosCertificado, agora: dt.datetime | None = None) -> str:
    """O aviso de que o certificado vence em ``DIAS_AVISO_VENCIMENTO`` dias ou menos ('' se
    falta mais)."""
    momento = agora or dt.datetime.now(dt.UTC)
    # dias de calendário em Brasília, como a data mostrada ("vence em 10 dias (17/12/2026)")
    dias = (em_brasilia(fatos.fim).date() - em_brasilia(momento).date()).days
    if dias > DIAS_AVISO_VENCIMENTO:
        return ""
    quando = "hoje" if dias <= 0 else ("amanhã" if dias == 1 else f"em {dias} dias")
    return (
        f"ATENÇÃO: o certificado de {fatos.nome} vence {quando} ({data_br(fatos.fim)}). "
        "Providencie a renovação na sua Autoridade Certificadora."
    )


def quem_assina(assinador: Assinador, agora: dt.datetime | None = None) -> str:
    """Quem vai assinar, numa linha: 'NOME (CPF ***.456.789-**), certificado da AC X, válido
    até dd/mm/aaaa' (o CPF mascarado, como nos textos do servidor), e, a
    ``DIAS_AVISO_VENCIMENTO`` dias ou menos do vencimento, o aviso (em outra linha)."""
    f = assinador.fatos
    texto = f"{f.nome} (CPF {mascarar_cpf(f.cpf)})" if f.cpf else f.nome
    if f.cnpj:
        texto += f", {f.razao_social or 'e-CNPJ'} (CNPJ {formatar_cnpj(f.cnpj)})"
    texto += f", certificado da {f.emissor}, válido até {data_br(f.fim)}"
    aviso = aviso_vencimento(f, agora)
    return texto + (f"\n{aviso}" if aviso else "")


def ancoras_recibo(cliente: ClienteSIOPS) -> list[x509.Certificate]:
    """A AC de recibos do servidor: a guardada, ou buscada e guardada na primeira vez."""
    guardadas = cfg.ancoras_guardadas(cliente.base)
    if guardadas:
        return guardadas
    try:
        return cfg.guardar_ancora(cliente.base, cliente.certificado_recibos())
    except ValueError:  # not PEM: a proxy's HTML page, a misconfigured server
        raise ErroCliente(
            f"O servidor {cliente.base} não enviou um certificado de recibos válido; o recibo "
            "não pôde ser conferido. Verifique o endereço do servidor e o proxy."
        ) from None


# ---------------------------------------------------------------------------- transmissão


def transmitir_arquivo(
    caminho: str | Path,
    assinador: Assinador,
    cliente: ClienteSIOPS,
    fila: FilaOffline,
    cpf: str | None = None,
    progresso: Progresso | None = None,
    raizes: Sequence[x509.Certificate] = (),
    sem_rede: FalhaDeRede | None = None,
    revogacao: Revogacao | None = None,
) -> Resultado:
    """Assina e envia a cópia ``caminho``; sem rede, deixa-a na fila.

    ``cpf``: de quem deve ser o certificado (padrão: o usuário da sessão). ``sem_rede``: o
    servidor já se mostrou inalcançável (o login não chegou a ele): assina e põe na fila sem
    tentar o envio — o "na fila" do resultado é sempre verdade. Levanta ``ArquivoRecusado``,
    ``CertificadoInvalido``, ``ErroAssinador`` (PIN, token) antes de qualquer envio, e
    ``SessaoExpirada`` se o servidor pedir novo login.
    """
    p = Path(caminho).resolve()
    dados, _d = ler_copia(p)
    dono = cpf or (cliente.sessao.cpf if cliente.sessao else "")
    avisos: list[str] = []
    with assinador:
        conferir_certificado(assinador, dono, raizes, revogacao=revogacao, avisos=avisos)
        assinado = xmldsig.assinar(dados, assinador)
    gravar_atomico(Arquivos(p).assinado, assinado)
    arquivo_sha256 = hashlib.sha256(dados).hexdigest()
    if sem_rede is not None:
        r = _na_fila(p, assinado, cliente, fila, dono, sem_rede, arquivo_sha256)
    else:
        r = enviar_assinado(p, assinado, cliente, fila, arquivo_sha256, progresso)
    r.aviso_certificado = " ".join(avisos)
    return r


def _na_fila(
    caminho: Path,
    assinado: bytes,
    cliente: ClienteSIOPS,
    fila: FilaOffline,
    cpf: str,
    erro: FalhaDeRede,
    arquivo_sha256: str,
) -> Resultado:
    """Põe a cópia assinada na fila e diz como ela será enviada."""
    fila.adicionar(assinado, caminho, cliente.base, cpf, str(erro), arquivo_sha256)
    return Resultado(
        "na_fila",
        f"{erro}\nA transmissão (já assinada) ficou na fila e será enviada quando o servidor "
        "responder (ao abrir o transmissor e entrar, ou com «siopsnet fila --enviar»).",
        caminho,
        falha=erro,
    )


def enviar_assinado(
    caminho: Path,
    assinado: bytes,
    cliente: ClienteSIOPS,
    fila: FilaOffline,
    arquivo_sha256: str,
    progresso: Progresso | None = None,
) -> Resultado:
    """Envia bytes já assinados; trata rede, recusa e recibo."""
    arqs = Arquivos(caminho)
    digest = hashlib.sha256(assinado).hexdigest()
    cpf = cliente.sessao.cpf if cliente.sessao else ""
    try:
        resp = cliente.transmitir(assinado, progresso)
    except FalhaDeRede as erro:
        return _na_fila(caminho, assinado, cliente, fila, cpf, erro, arquivo_sha256)
    except SessaoExpirada:
        raise
    except RecusadoPeloServidor as erro:
        fila.remover(digest)
        _gravar_recusa(arqs, erro, arquivo_sha256)
        if erro.codigo == SUBSTITUIDA:
            return _substituida(arqs, erro, arquivo_sha256, caminho)
        return Resultado("recusado", erro.texto_completo, caminho, recusa=erro)
    fila.remover(digest)
    arqs.recusa_json.unlink(missing_ok=True)
    if resp.recibo:
        gravar_atomico(arqs.recibo_xml, resp.recibo)
    dados = resp.dados
    registro_t = RegistroTransmissao(
        protocolo=resp.protocolo,
        servidor=cliente.base,
        digest=digest,
        arquivo_sha256=arquivo_sha256,
        recebido_em=resp.recebido_em,
        situacao=str(dados.get("situacao", "transmitido")),
        signatario=dict(dados.get("signatario") or {}),
        avisos=list(dados.get("avisos") or []),
    )
    registro_t.gravar(arqs.recibo_json)
    recibo, aviso = None, ""
    try:
        recibo = conferir_recibo(resp.recibo, ancoras_recibo(cliente), assinado, resp.protocolo)
    except (ReciboInvalido, ErroCliente) as erro:
        aviso = f"Atenção: o recibo recebido não pôde ser conferido ({erro})."
    quando = _quando_br(resp.recebido_em)
    texto = f"Transmitido em {quando} — protocolo {resp.protocolo}."
    if resp.repeticao:
        texto += " (Este arquivo já tinha chegado ao servidor; o protocolo é o mesmo.)"
    if registro_t.situacao == "substituida":
        texto += (
            " Atenção: depois disso outra transmissão do mesmo período substituiu esta; para que "
            "estes dados voltem a valer, altere-os, grave de novo o arquivo para transmissão e transmita."
        )
    return Resultado(
        "transmitido",
        texto,
        caminho,
        protocolo=resp.protocolo,
        repeticao=resp.repeticao,
        recibo=recibo,
        aviso_recibo=aviso,
        avisos=registro_t.avisos,
    )


#: The server's ``codigo`` for a file sent again after another transmission of the same period
#: replaced it (409).
SUBSTITUIDA = "transmissao_substituida"


def _substituida(
    arqs: Arquivos, erro: RecusadoPeloServidor, arquivo_sha256: str, caminho: Path
) -> Resultado:
    """A cópia já foi recebida e depois substituída: nada foi recebido agora (saída 1).

    The server's message names the protocol that replaced it; the local record of this copy (if
    it is this very file) is marked "substituída", so the list shows it as such, not as
    transmitted.
    """
    reg = RegistroTransmissao.ler(arqs.recibo_json)
    if reg is not None and reg.arquivo_sha256 == arquivo_sha256:
        reg.situacao = "substituida"
        reg.gravar(arqs.recibo_json)
    texto = erro.texto_completo
    if not erro.motivos:
        texto += (
            "\nEsta cópia não foi recebida de novo. Para que estes dados voltem a valer, altere-os, "
            "grave de novo o arquivo para transmissão e transmita."
        )
    return Resultado("recusado", texto, caminho, recusa=erro)


def _gravar_recusa(arqs: Arquivos, erro: RecusadoPeloServidor, arquivo_sha256: str) -> None:
    """The refusal beside the copy (``estado_arquivo`` shows it while the copy is unchanged)."""
    import json

    registro = {
        "quando": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "arquivo_sha256": arquivo_sha256,
        "status": erro.status,
        "codigo": erro.codigo,
        "erro": str(erro),
        "motivos": erro.motivos,
        "criticas": erro.criticas,
    }
    gravar_atomico(
        arqs.recusa_json, json.dumps(registro, ensure_ascii=False, indent=2).encode("utf-8")
    )


def processar_fila(
    cliente: ClienteSIOPS, fila: FilaOffline, progresso: Progresso | None = None
) -> list[Resultado]:
    """Reenvia os itens da fila deste servidor, na ordem; para no primeiro que ainda falhar por rede."""
    resultados = []
    for item in fila.itens(cliente.base):
        try:
            corpo = fila.corpo(item)
        except OSError:
            fila.remover(item.digest)
            continue
        r = enviar_assinado(
            Path(item.arquivo), corpo, cliente, fila, item.arquivo_sha256, progresso
        )
        resultados.append(r)
        if r.estado == "na_fila":
            break
    return resultados


def _quando_br(iso: str) -> str:
    try:
        q = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso or "?"
    return data_hora_br(q)


# ---------------------------------------------------------------------------- estado dos arquivos


@dataclass(frozen=True)
class EstadoArquivo:
    """Como um arquivo de ``transm/`` está: ``estado`` e o ``texto`` para o usuário."""

    caminho: Path
    estado: str  # pendente | na_fila | transmitido | homologado | recusado
    texto: str
    protocolo: str = ""


def estado_arquivo(caminho: str | Path, fila: FilaOffline | None = None) -> EstadoArquivo:
    """O estado de uma cópia de transmissão, pelos arquivos guardados ao lado dela e pela fila."""
    p = Path(caminho).resolve()
    arqs = Arquivos(p)
    try:
        atual = sha256_arquivo(p)
    except OSError:
        return EstadoArquivo(p, "pendente", "pendente")
    if fila is not None:
        item = fila.contem(p)
        if item is not None and (not item.arquivo_sha256 or item.arquivo_sha256 == atual):
            desde = _quando_br(item.criado_em)
            return EstadoArquivo(
                p, "na_fila", f"na fila desde {desde} (sem conexão com o servidor)"
            )
    reg = RegistroTransmissao.ler(arqs.recibo_json)
    if reg is not None and reg.arquivo_sha256 == atual:
        if reg.situacao == "homologado":
            quando = _quando_br(reg.homologado_em) if reg.homologado_em else ""
            texto = f"homologado{' em ' + quando if quando else ''} — protocolo {reg.protocolo}"
            return EstadoArquivo(p, "homologado", texto, reg.protocolo)
        if reg.situacao in ("substituida", "homologacao_anulada"):
            nome = {
                "substituida": "substituída por outra transmissão",
                "homologacao_anulada": "homologação anulada",
            }
            return EstadoArquivo(
                p, "transmitido", f"{nome[reg.situacao]} — protocolo {reg.protocolo}", reg.protocolo
            )
        texto = f"transmitido em {_quando_br(reg.recebido_em)} — protocolo {reg.protocolo}"
        return EstadoArquivo(p, "transmitido", texto, reg.protocolo)
    try:
        import json

        recusa = json.loads(arqs.recusa_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recusa = None
    if recusa and recusa.get("arquivo_sha256") == atual:
        motivo = recusa.get("erro", "")
        if recusa.get("motivos"):
            motivo += " " + " ".join(recusa["motivos"])
        return EstadoArquivo(p, "recusado", f"recusado: {motivo.strip()}")
    if reg is not None:
        return EstadoArquivo(p, "pendente", "pendente (alterado depois da última transmissão)")
    return EstadoArquivo(p, "pendente", "pendente")


def listar_transm(pasta: str | Path, fila: FilaOffline | None = None) -> list[EstadoArquivo]:
    """Os arquivos .OPS da pasta ``transm`` com o seu estado, em ordem de nome."""
    base = Path(pasta)
    if not base.is_dir():
        return []
    arquivos = sorted(a for a in base.iterdir() if a.is_file() and a.suffix.upper() == ".OPS")
    return [estado_arquivo(a, fila) for a in arquivos]


def atualizar_situacao(caminho: str | Path, cliente: ClienteSIOPS) -> EstadoArquivo:
    """Pergunta ao servidor a situação do protocolo do arquivo e anota (homologado etc.)."""
    p = Path(caminho).resolve()
    arqs = Arquivos(p)
    reg = RegistroTransmissao.ler(arqs.recibo_json)
    if reg is None:
        return estado_arquivo(p)
    info = cliente.situacao(reg.protocolo)
    reg.situacao = str(info.get("situacao", reg.situacao))
    h = info.get("homologacao") or {}
    reg.homologado_em = str(h.get("homologado_em", "") or "")
    reg.homologado_por = str(h.get("nome", "") or "")
    reg.gravar(arqs.recibo_json)
    return estado_arquivo(p)


# ---------------------------------------------------------------------------- gestor


@dataclass
class Preparacao:
    """O que o gestor vê antes de homologar: a situação do protocolo e a declaração recebida."""

    protocolo: str
    info: dict[str, Any]
    assinado: bytes
    declaracao: Any
    assinante: FatosCertificado | None

    @property
    def resumo(self) -> str:
        """Resumo do RREO (o percentual aplicado em ASPS e o mínimo) em texto."""
        from siops.forms.dinheiro import apresentar_percentual, formatar_reais
        from siops.relatorios.anexo12 import resumo

        r = resumo(self.declaracao)
        d = self.declaracao
        linhas = [
            f"{d.ente.descricao} — {d.exercicio}, {d.bimestre}º bimestre — protocolo {self.protocolo}",
            f"Receita base (impostos e transferências): {formatar_reais(r.base)}",
            f"Despesa mínima a aplicar: {formatar_reais(r.despesa_minima)}",
            f"Valor aplicado em ASPS: {formatar_reais(r.valor_aplicado)}",
            f"Percentual aplicado: {apresentar_percentual(r.percentual)}% "
            f"(mínimo {apresentar_percentual(r.percentual_minimo)}%)",
        ]
        if self.assinante is not None:
            linhas.append(f"Transmitido com o certificado de {self.assinante.nome}.")
        return "\n".join(linhas)


def preparar_homologacao(
    cliente: ClienteSIOPS,
    assinador: Assinador,
    protocolo: str,
    raizes: Sequence[x509.Certificate] = (),
    intermediarios: Sequence[x509.Certificate] = (),
) -> Preparacao:
    """Abre a sessão do gestor (documento assinado) e baixa o que o servidor recebeu.

    Com ``raizes``, confere a assinatura do técnico no arquivo baixado (a cadeia completada com
    ``intermediarios`` se o KeyInfo não a trouxer), no instante em que o servidor o recebeu: um
    certificado que venceu depois disso não impede a homologação. Deve ser chamado dentro de
    ``with assinador``.
    """
    from siops.ops_format import ArquivoInvalido, de_bytes

    if cliente.sessao is None:
        cliente.entrar_com_certificado(documentos.pedido_sessao(assinador))
    info = cliente.situacao(protocolo)
    assinado = cliente.arquivo(protocolo)
    if hashlib.sha256(assinado).hexdigest() != str(info.get("digest", "")).lower():
        raise ErroCliente(
            "O arquivo baixado do servidor não confere com o resumo do protocolo. Tente de novo."
        )
    assinante = None
    if raizes:
        assinante = xmldsig.verificar(
            assinado, raizes, intermediarios, quando=_instante(info.get("recebido_em"))
        ).fatos
    try:
        d = de_bytes(xmldsig.conteudo_sem_assinatura(assinado), f"protocolo {protocolo}")
    except ArquivoInvalido as erro:
        raise ErroCliente(
            f"A declaração do protocolo {protocolo} não pôde ser lida: {erro}"
        ) from None
    return Preparacao(protocolo, info, assinado, d, assinante)


def _instante(texto: Any) -> dt.datetime | None:
    """Uma data-hora ISO 8601 do servidor (None se ausente ou ilegível: vale o agora)."""
    try:
        return dt.datetime.fromisoformat(str(texto).strip()) if texto else None
    except ValueError:
        return None


@dataclass
class ResultadoHomologacao:
    """O recibo de homologação e o PDF assinado (se houver)."""

    protocolo: str
    dados: dict[str, Any]
    recibo: bytes
    pdf: bytes | None
    recibo_conferido: ReciboConferido | None
    aviso: str = ""


def concluir_homologacao(
    cliente: ClienteSIOPS,
    assinador: Assinador,
    prep: Preparacao,
    com_pdf: bool = True,
    arquivo_local: str | Path | None = None,
) -> ResultadoHomologacao:
    """Assina o demonstrativo (PAdES) e a homologação, envia os dois e guarda o recibo.

    Deve ser chamado dentro de ``with assinador`` (o PIN é pedido uma só vez).
    """
    from siops.relatorios import Homologacao as HomologacaoPDF
    from siops.relatorios import renderizar_rreo
    from siops.transmissor import pades

    info = prep.info
    pdf = None
    digest_pdf = None
    if com_pdf:
        fatos = assinador.fatos
        bruto = renderizar_rreo(
            prep.declaracao,
            homologado=True,
            homologacao=HomologacaoPDF(gestor=fatos.nome, quando=dt.datetime.now()),
        )
        pdf = pades.assinar_pdf(bruto, assinador)
        digest_pdf = hashlib.sha256(pdf).hexdigest()
    doc = documentos.homologacao(
        assinador,
        prep.protocolo,
        str(info["digest"]),
        str(info["ente"]),
        int(info["exercicio"]),
        int(info["bimestre"]),
        digest_pdf,
    )
    dados = cliente.homologar(doc)
    recibo = str(dados.get("recibo", "")).encode("utf-8")
    aviso = ""
    if pdf is not None:
        try:
            cliente.enviar_demonstrativo(prep.protocolo, pdf)
        except ErroCliente as erro:
            aviso = f"A homologação foi registrada, mas o demonstrativo assinado não foi enviado: {erro}"
    conferido = None
    try:
        conferido = conferir_recibo(recibo, ancoras_recibo(cliente), prep.assinado, prep.protocolo)
    except (ReciboInvalido, ErroCliente) as erro:
        aviso = (
            aviso + "\n" if aviso else ""
        ) + f"Atenção: o recibo de homologação não pôde ser conferido ({erro})."
    if arquivo_local is not None:
        arqs = Arquivos(Path(arquivo_local).resolve())
        gravar_atomico(arqs.homologacao_xml, recibo)
        if pdf is not None:
            gravar_atomico(arqs.demonstrativo_pdf, pdf)
        reg = RegistroTransmissao.ler(arqs.recibo_json)
        if reg is not None and reg.protocolo == prep.protocolo:
            reg.situacao = "homologado"
            reg.homologado_em = str(dados.get("homologado_em", ""))
            reg.homologado_por = assinador.fatos.nome
            reg.gravar(arqs.recibo_json)
    return ResultadoHomologacao(prep.protocolo, dados, recibo, pdf, conferido, aviso)


def solicitar_retransmissao(
    cliente: ClienteSIOPS,
    assinador: Assinador,
    ente: str,
    exercicio: int,
    bimestre: int,
    justificativa: str,
) -> dict[str, Any]:
    """Assina e envia o pedido de retransmissão do gestor (justificativa de 20 a 2000 caracteres)."""
    texto = documentos.validar_justificativa(justificativa)
    with assinador:
        doc = documentos.solicitacao_retransmissao(assinador, ente, exercicio, bimestre, texto)
    return cliente.solicitar_retransmissao(doc)


def recibo_local(
    caminho: str | Path, ancoras: Iterable[x509.Certificate] | None = None
) -> ReciboConferido:
    """Confere, sem rede, o recibo guardado ao lado de uma cópia (ou o próprio ``.recibo.xml``)."""
    p = Path(caminho).resolve()
    if p.name.endswith(".recibo.xml"):
        ops = p.with_name(p.name[: -len(".recibo.xml")] + ".OPS")
    else:
        ops = p
    arqs = Arquivos(ops)
    try:
        recibo = arqs.recibo_xml.read_bytes()
    except OSError:
        raise ReciboInvalido(
            f"Não há recibo guardado para {ops.name} ({arqs.recibo_xml.name})."
        ) from None
    reg = RegistroTransmissao.ler(arqs.recibo_json)
    try:
        assinado = arqs.assinado.read_bytes()
    except OSError:
        assinado = None
    if ancoras is None:
        ancoras = cfg.ancoras_guardadas(reg.servidor) if reg else cfg.ancoras_guardadas()
    return conferir_recibo(recibo, ancoras, assinado, reg.protocolo if reg else None)
