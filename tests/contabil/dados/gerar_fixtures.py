"""Writes the hand-made MSC fixtures of this folder (run from the repository root).

The rows below are typed by hand; the script only adds, for each ending balance without other
rows, the month's period_change (a real MSC has them), and one balancing row of the cash account
(1.1.1.1.1.01.00) per kind of value so that debits equal credits. The expected Anexo 12 values
are computed in the tests' comments, not here.
"""

from decimal import Decimal

CAB = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"


def rec(conta, nr, fr, valor, nat, tipo="ending_balance"):
    return f"{conta};10131;PO;{nr};NR;{fr};FR;;;;;;;{valor};{tipo};{nat}"


def desp(conta, fs, nd, fr, co, valor, nat="C", tipo="ending_balance"):
    if co:
        return f"{conta};10131;PO;{fs};FS;{nd};ND;{fr};FR;{co};CO;;;{valor};{tipo};{nat}"
    return f"{conta};10131;PO;{fs};FS;{nd};ND;{fr};FR;;;;;{valor};{tipo};{nat}"


def balancear(linhas, virgula=False):
    saldo = {
        "beginning_balance": Decimal(0),
        "period_change": Decimal(0),
        "ending_balance": Decimal(0),
    }
    for linha in linhas:
        c = linha.split(";")
        v = Decimal(c[13].replace(",", "."))
        saldo[c[14]] += v if c[15] == "C" else -v
    out = []
    for tipo, s in saldo.items():
        if s:
            txt = f"{abs(s)}".replace(".", ",") if virgula else f"{abs(s)}"
            out.append(f"111110100;10131;PO;1;FP;;;;;;;;;{txt};{tipo};{'D' if s > 0 else 'C'}")
    return out


def movimentar(linhas):
    """Each ending balance without beginning/change rows gets the month's change (a real MSC has them)."""
    com_mov = {";".join(x.split(";")[:13]) for x in linhas if x.split(";")[14] != "ending_balance"}
    out = []
    for linha in linhas:
        c = linha.split(";")
        if c[14] == "ending_balance" and ";".join(c[:13]) not in com_mov:
            out.append(";".join([*c[:14], "period_change", c[15]]))
        out.append(linha)
    return out


def escrever(nome, cab1, linhas, enc="utf-8"):
    linhas = movimentar(linhas)
    texto = "\r\n".join([cab1, CAB, *linhas, *balancear(linhas, enc != "utf-8")]) + "\r\n"
    open(f"tests/contabil/dados/{nome}", "w", encoding=enc, newline="").write(texto)


# ---- 2025, April (2º bimestre), São Paulo/SP 3550308 --------------------------------------
r = []
# IPTU principal: beginning 70.000,00 + change 30.000,00 = ending 100.000,00
r += [
    rec("621200000", "11125001", "1500", "70000.00", "C", "beginning_balance"),
    rec("621200000", "11125001", "1500", "30000.00", "C", "period_change"),
    rec("621200000", "11125001", "1500", "100000.00", "C"),
]
r += [rec("621200000", "11125002", "1500", "2500.50", "C")]  # IPTU multas
r += [rec("621320000", "11125001", "1500", "1200.25", "D")]  # renúncia do IPTU
r += [rec("621310100", "17115111", "1500", "120000.00", "D")]  # FUNDEB (not deducted)
r += [rec("621200000", "11125301", "1500", "45000.00", "C")]  # ITBI
r += [rec("621200000", "11145111", "1500", "250000.00", "C")]  # ISS
r += [rec("621200000", "11145121", "1500", "3000.00", "C")]  # ISS adicional
r += [rec("621200000", "11130311", "1500", "80000.00", "C")]  # IRRF trabalho
r += [rec("621200000", "11130341", "1500", "5000.00", "C")]  # IRRF outros
r += [rec("621200000", "17115111", "1500", "600000.00", "C")]  # FPM mensal
r += [rec("621200000", "17115121", "1500", "12000.00", "C")]  # FPM 1% (excluded)
r += [rec("621200000", "17115201", "1500", "1500.00", "C")]  # ITR
r += [rec("621200000", "17215001", "1500", "400000.00", "C")]  # ICMS
r += [rec("621200000", "17215101", "1500", "120000.00", "C")]  # IPVA
r += [rec("621200000", "17215201", "1500", "3000.00", "C")]  # IPI-Exportação
r += [rec("621200000", "17295301", "1500", "2000.00", "C")]  # Outras transf.
r += [rec("621200000", "17135011", "1600", "300000.00", "C")]  # SUS União custeio
r += [rec("621200000", "24115001", "1601", "50000.00", "C")]  # SUS União investimento
r += [rec("621200000", "17235001", "1621", "40000.00", "C")]  # SUS Estado
r += [rec("621200000", "13210111", "1600", "1234.56", "C")]  # rendimentos SUS União
r += [rec("621200000", "11210111", "1500", "7000.00", "C")]  # taxa (unmapped)
r += [rec("621200000", "13210011", "1500", "900.00", "C")]  # rendimentos próprios (unmapped)
r += [rec("521110000", "11125001", "1500", "400000.00", "D")]  # previsão IPTU
r += [rec("521210100", "11125001", "1500", "20000.00", "D")]  # reestimativa IPTU
r += [rec("521110000", "11145111", "1500", "900000.00", "D")]  # previsão ISS
d = []
d += [
    desp("622130100", "10301", "33903000", "1500", "1002", "10000.00"),
    desp("622130300", "10301", "33903000", "1500", "1002", "5000.00"),
    desp("622130400", "10301", "33903000", "1500", "1002", "35000.00"),
]
d += [
    desp("622130400", "10301", "31901100", "1500", "1002", "120000.00"),
    desp("622130200", "10301", "31901100", "1500", "1002", "3000.00"),
]
d += [desp("622130400", "10301", "31900101", "1500", "1002", "8000.00")]  # aposentadorias
d += [
    desp("622130400", "10302", "33903900", "1600", "", "70000.00"),
    desp("622130300", "10302", "33903900", "1600", "", "10000.00"),
]
d += [desp("622130100", "10302", "44905200", "1500", "1002", "25000.00")]
d += [desp("622130400", "10122", "31901100", "1500", "1002", "60000.00")]
d += [desp("622130400", "10305", "33717000", "1500", "1002", "15000.00")]  # modalidade 71
d += [desp("853240000", "10302", "33903900", "1500", "1002", "9000.00")]  # consórcio, pago
d += [desp("622130400", "04122", "31901100", "1500", "1001", "500000.00")]  # função 04
d += [desp("622130400", "28843", "32902100", "1500", "1002", "4000.00")]  # juros, ASPS
d += [desp("622130400", "10301", "33903000", "1500", "", "2000.00")]  # sem CO
d += [
    desp("522110000", "10301", "33900000", "1500", "1002", "600000.00", "D"),
    desp("522120100", "10301", "33900000", "1500", "1002", "50000.00", "D"),
    desp("522190100", "10301", "33900000", "1500", "1002", "10000.00", "C"),
]
escrever("msc_3550308_2025_04.csv", "3550308EX;2025-04", r + d)

# ---- the same ente, March: every value smaller (the import of April must replace it) ----------
m = [
    rec("621200000", "11125001", "1500", "70000.00", "C"),
    rec("621200000", "11145111", "1500", "180000.00", "C"),
    desp("622130400", "10301", "33903000", "1500", "1002", "20000.00"),
]
escrever("msc_3550308_2025_03.csv", "3550308EX;2025-03", m)

# ---- 2021, June (3º bimestre), the pre-2022 ementário; Windows-1252 with comma decimals ------
r = []
r += [rec("621200000", "11180111", "102", "50000,00", "C")]  # IPTU
r += [rec("621200000", "11180141", "100", "20000,00", "C")]  # ITBI
r += [rec("621200000", "11180231", "100", "150000,00", "C")]  # ISS
r += [rec("621200000", "11180241", "100", "1000,00", "C")]  # ISS adicional (flagged)
r += [rec("621390000", "11180231", "100", "500,00", "D")]  # outras deduções do ISS
r += [rec("621200000", "11130311", "100", "40000,00", "C")]  # IRRF
r += [rec("621200000", "17180121", "100", "300000,00", "C")]  # FPM
r += [rec("621200000", "17180131", "100", "5000,00", "C")]  # FPM 1% dezembro (excluded)
r += [rec("621200000", "17180151", "100", "800,00", "C")]  # ITR
r += [rec("621200000", "17180611", "100", "1200,00", "C")]  # Lei Kandir
r += [rec("621200000", "17280111", "100", "200000,00", "C")]  # ICMS
r += [rec("621200000", "17280121", "100", "60000,00", "C")]  # IPVA
r += [rec("621200000", "17280131", "100", "1500,00", "C")]  # IPI-Exportação
r += [rec("621200000", "17180311", "114", "90000,00", "C")]  # SUS União (flagged)
r += [rec("621200000", "19990011", "100", "3333,33", "C")]  # outras receitas (unmapped)
d = []
d += [
    desp("622130400", "10301", "31901100", "102", "", "70000,00"),
    desp("622130300", "10301", "31901100", "102", "", "5000,00"),
]
d += [desp("622130100", "10302", "33903900", "202", "", "12000,00")]  # superávit, computed
d += [desp("622130400", "10302", "33903900", "114", "", "45000,00")]  # SUS, not computed
d += [desp("622130400", "10304", "33903000", "102", "", "6000,00")]
d += [desp("622130400", "10301", "31900301", "102", "", "7000,00")]  # pensões (excluded)
escrever("msc_3550308_2021_06.csv", "3550308EX;2021-06", r + d, enc="cp1252")
