"""Os recibos: XML assinado pelo servidor (XMLDSig envelopada, via ``transmissor.xmldsig``).

Formato em docs/api.md §5. O recibo é função só do registro guardado (protocolo, ente,
período, digest, signatário, data-hora) e a assinatura RSA PKCS#1 v1.5 é determinística:
regerar o recibo de uma transmissão dá os mesmos bytes — por isso um recibo perdido entre o
COMMIT e a resposta (SIGKILL) pode ser refeito sem mudar nada.
"""

from __future__ import annotations

from lxml import etree

from siops.assinatura.assinador import AssinadorChave
from siops.assinatura.xmldsig import assinar
from siops.forms.entes import EnteDesconhecido, ente
from siops.servidor import modelos as m
from siops.servidor.chaves import ChavesRecibo

NS = "urn:siops-desktop:recibo:1"


def _sub(pai: etree._Element, nome: str, texto: str, **atributos: str) -> etree._Element:
    el = etree.SubElement(pai, f"{{{NS}}}{nome}", attrib=atributos)
    el.text = texto
    return el


def _nome_ente(codigo: str) -> str:
    try:
        return ente(codigo).descricao
    except EnteDesconhecido:
        return codigo


class Emissor:
    """Monta e assina recibos com as chaves do servidor."""

    def __init__(self, chaves: ChavesRecibo) -> None:
        self.chaves = chaves
        self._assinador = AssinadorChave(chaves.chave, chaves.certificado, (chaves.ac,))

    def _base(self, tipo: str, t: m.Transmissao) -> etree._Element:
        raiz = etree.Element(f"{{{NS}}}Recibo", nsmap={None: NS}, versao="1")
        _sub(raiz, "Tipo", tipo)
        _sub(raiz, "Protocolo", t.protocolo)
        _sub(raiz, "Ente", t.ente)
        _sub(raiz, "NomeEnte", _nome_ente(t.ente))
        _sub(raiz, "Exercicio", str(t.exercicio))
        _sub(raiz, "Bimestre", str(t.bimestre))
        _sub(raiz, "Digest", t.digest, algoritmo="SHA-256")
        return raiz

    def _assinar(self, raiz: etree._Element) -> str:
        _sub(raiz, "Servidor", self.chaves.nome)
        xml = etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")
        return assinar(xml, self._assinador).decode("utf-8")

    def transmissao(self, t: m.Transmissao) -> str:
        """O recibo de uma transmissão aceita."""
        raiz = self._base("transmissao", t)
        _sub(raiz, "Signatario", t.signatario_nome, cpf=t.signatario_cpf)
        _sub(raiz, "DataHora", t.recebido_em)
        return self._assinar(raiz)

    def homologacao(self, t: m.Transmissao, h: m.Homologacao) -> str:
        """O recibo de uma homologação."""
        raiz = self._base("homologacao", t)
        _sub(raiz, "Signatario", h.nome, cpf=h.cpf)
        _sub(raiz, "DataHora", h.homologado_em)
        _sub(raiz, "DigestHomologacao", h.documento_digest, algoritmo="SHA-256")
        if h.digest_demonstrativo:
            _sub(raiz, "DigestDemonstrativo", h.digest_demonstrativo, algoritmo="SHA-256")
        return self._assinar(raiz)
