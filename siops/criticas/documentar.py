"""The table of the críticas, generated from the rule catalog: ``docs/criticas.md``.

``python -m siops.criticas.documentar > docs/criticas.md``. One source of truth: the code, the
group, the title, the severity in each bimestre and the fundamento come from ``REGRAS``; a
test fails when the committed file differs from what this prints.
"""

from __future__ import annotations

from siops.criticas.achado import IMPEDITIVA
from siops.criticas.motor import GRUPOS, REGRAS, Regra, _carregar_regras

_REQUER = {
    "referencia": "referência externa (FNS; STN/CONFAZ)",
    "anterior": "declaração do bimestre anterior",
}


def _severidade(r: Regra, bimestre: int) -> str:
    if r.so_no_6o and bimestre != 6:
        return "não se aplica"
    return "**impeditiva**" if r.severidade_em(bimestre) == IMPEDITIVA else "aviso"


def _celula(texto: str) -> str:
    return texto.replace("|", "\\|").replace("\n", " ")


def documento() -> str:
    """The Markdown text of ``docs/criticas.md``."""
    _carregar_regras()
    linhas = [
        "# Críticas da declaração",
        "",
        "Gerado por `python -m siops.criticas.documentar > docs/criticas.md` a partir do "
        "catálogo de regras (`siops/criticas/regras/`); não edite à mão.",
        "",
        "As **impeditivas** bloqueiam a gravação do arquivo de transmissão; os avisos não. "
        "Regra do FAQ do SIOPS: erros de preenchimento que influenciem no cálculo do "
        "percentual mínimo impedem a transmissão; os demais aparecem como aviso (alguns "
        "viram impeditivas no 6º bimestre).",
        "",
        "O portão de transmissão (`siops gravar-transmissao`, Arquivo → Gravar arquivo para "
        "transmissão, e a recepção no servidor) roda as mesmas regras com as mesmas entradas: "
        "a referência externa (valores do FNS e transferências constitucionais do STN/CONFAZ), "
        "que o cliente pede ao servidor configurado e guarda com a data, e a declaração do "
        "bimestre anterior (no cliente, o arquivo achado na pasta padrão; no servidor, a "
        "transmissão vigente). Sem elas as regras que dependem delas não rodam, e o portão do "
        "cliente diz o que faltou (ou de quando é a referência guardada) sem impedir a "
        "gravação: o servidor as roda de novo ao receber o arquivo.",
        "",
        "| código | grupo | título | 1º ao 5º bimestre | 6º bimestre | depende de | fundamento |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for codigo in sorted(REGRAS):
        r = REGRAS[codigo]
        linhas.append(
            f"| {codigo} | {r.grupo} — {GRUPOS[r.grupo]} | {_celula(r.titulo)} | "
            f"{_severidade(r, 5)} | {_severidade(r, 6)} | {_REQUER.get(r.requer, '')} | "
            f"{_celula(r.fundamento)} |"
        )
    return "\n".join(linhas) + "\n"


if __name__ == "__main__":
    print(documento(), end="")
