"""Os prazos de transmissão do SIOPS, como dado (DOMAIN §1; Portaria 53/2013; LC 141/2012).

Trinta dias depois de cada bimestre: 30/03, 30/05, 30/07, 30/09, 30/11 e, para o 6º bimestre,
30/01 do ano seguinte. ``PRAZOS`` é a tabela (bimestre → mês, dia e quantos anos depois do
exercício); mudar um prazo é mudar esta tabela, nada mais. A transmissão atrasada é sempre
aceita; o prazo decide os avisos aos gestores e, no 6º bimestre, a notificação automática que
abre os 30 dias do Decreto 7.827/2012, art. 16, II.
"""

from __future__ import annotations

import datetime as dt

#: bimestre → (mês, dia, anos depois do exercício)
PRAZOS: dict[int, tuple[int, int, int]] = {
    1: (3, 30, 0),
    2: (5, 30, 0),
    3: (7, 30, 0),
    4: (9, 30, 0),
    5: (11, 30, 0),
    6: (1, 30, 1),
}

#: Os dias depois da notificação automática em que as transferências são suspensas (Decreto
#: 7.827/2012, art. 16, II e art. 18, II).
DIAS_SUSPENSAO = 30
#: Os meses, contados do início do condicionamento, para demonstrar a aplicação da diferença
#: (Decreto 7.827/2012, art. 20).
MESES_COMPENSACAO = 12


def prazo(exercicio: int, bimestre: int) -> dt.date:
    """O último dia para transmitir e homologar o bimestre."""
    mes, dia, anos = PRAZOS[bimestre]
    return dt.date(exercicio + anos, mes, dia)


def data_br(d: dt.date) -> str:
    """``30/01/2026``."""
    return d.strftime("%d/%m/%Y")


def somar_meses(d: dt.date, meses: int) -> dt.date:
    """``d`` mais ``meses`` meses (o dia 29, 30 ou 31 que não existe vira o último do mês)."""
    total = d.month - 1 + meses
    ano, mes = d.year + total // 12, total % 12 + 1
    for dia in (d.day, 30, 29, 28):
        try:
            return dt.date(ano, mes, min(d.day, dia))
        except ValueError:
            continue
    raise AssertionError("inalcançável")
