"""Verbs over the catalog and the model: ``catalogo``, ``calcular``, ``exportar``,
``importar-planilha`` (the file verbs ``novo``/``validar``… are in ``cmd_arquivo``)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from siops.forms import argumentos
from siops.forms.catalogo import ESFERAS, catalogo, versao_layout
from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import apresentar_percentual, formatar, texto_plano


def registrar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalogo", help="lista tabelas, linhas e colunas com seus códigos")
    p.add_argument("--esfera", choices=ESFERAS, default="municipal")
    p.add_argument("--exercicio", type=argumentos.exercicio, default=2025)
    p.add_argument("--csv", action="store_true", help="uma linha por célula, separada por ;")
    p.set_defaults(func=cmd_catalogo)

    p = sub.add_parser("calcular", help="mostra os totais e o percentual aplicado em ASPS")
    p.add_argument("arquivo", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calcular)

    p = sub.add_parser(
        "exportar",
        help="exporta as células (tabela;linha;coluna;valor) e o razão, ou o .IMPT do SIOPS",
        description="csv: as células (tabela;linha;coluna;valor) e, depois delas, as linhas do "
        "razão (razao;despesa;4;301;3.3.90.39.00.00;empenhada;123.45 …); json: o mesmo em "
        "JSON; impt: o arquivo de integração do SIOPS (zip com os .IMPT), exige -o.",
    )
    p.add_argument("arquivo", type=Path)
    p.add_argument("--formato", choices=("csv", "json", "impt"), default="csv")
    p.add_argument("--calculadas", action="store_true", help="inclui as células calculadas")
    p.add_argument("-o", "--saida", type=Path, help="arquivo de saída (padrão: a tela)")
    p.set_defaults(func=cmd_exportar)

    p = sub.add_parser(
        "importar-planilha", help="preenche a declaração com um CSV tabela;linha;coluna;valor"
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument("planilha", type=Path, help="o CSV")
    p.set_defaults(func=cmd_importar_planilha)


def cmd_catalogo(args: argparse.Namespace) -> int:
    cat = catalogo(args.esfera, args.exercicio)
    out = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    if args.csv:
        out.writerow(
            (
                "pasta",
                "tabela",
                "linha",
                "numeral",
                "titulo",
                "natureza",
                "subfuncao",
                "grupo",
                "coluna",
                "tipo",
                "formula",
                "incerto",
            )
        )
        for t, linha in cat.iter_linhas():
            id_pasta = cat.pasta_da_tabela(t.id).id
            for c in t.colunas_da_linha(linha):
                k = (t.id, linha.id, c.id)
                f = cat.formulas.get(k)
                tipo = (
                    "calculada"
                    if f
                    else "calculada do razão"
                    if k in cat.agregadas
                    else ("digitada (só 6º bimestre)" if linha.somente_6o else "digitada")
                )
                out.writerow(
                    (
                        id_pasta,
                        t.id,
                        linha.id,
                        cat.numerais.get((t.id, linha.id), ""),
                        linha.titulo_em(cat.exercicio),
                        linha.natureza(cat.exercicio) or "",
                        linha.subfuncao or "",
                        linha.grupo or "",
                        c.id,
                        tipo,
                        f.texto() if f else "",
                        linha.incerto,
                    )
                )
        for campo in cat.campos.values():
            out.writerow(
                ("", "campo", campo.id, "", campo.titulo, "", "", "", "", campo.tipo, "", "")
            )
        return 0
    print(
        f"{cat.layout.descricao} — layout {versao_layout(cat.exercicio)}, exercício {cat.exercicio}"
    )
    for pasta in cat.pastas:
        print(f"\n[{pasta.id}] {pasta.titulo}")
        for g in pasta.grupos:
            print(
                f"  campos: {cat.layout.grupos[g]} "
                f"({', '.join(c.id for c in cat.campos_do_grupo(g))})"
            )
        for tid in pasta.tabelas:
            t = cat.tabela(tid)
            print(f"  tabela {t.id}: {t.titulo}")
            print(f"    colunas: {', '.join(c.id for c in t.colunas)}")
            for linha in t.linhas:
                num = cat.numerais.get((t.id, linha.id))
                extra = [
                    x
                    for x in (
                        f"({num})" if num else "",
                        f"NR {linha.natureza(cat.exercicio)}" if linha.naturezas else "",
                        f"subfunção {linha.subfuncao}" if linha.subfuncao and linha.grupo else "",
                        f"grupo {linha.grupo}" if linha.grupo else "",
                        "calculada" if linha.regra else "",
                        "calculada do razão"
                        if any((t.id, linha.id, c.id) in cat.agregadas for c in t.colunas)
                        else "",
                        "NÃO CONFIRMADO" if linha.incerto else "",
                    )
                    if x
                ]
                print(
                    f"    {'  ' * linha.nivel}{linha.id}: {linha.titulo_em(cat.exercicio)}"
                    + (f"  [{'; '.join(extra)}]" if extra else "")
                )
    _imprimir_razao()
    return 0


def _imprimir_razao() -> None:
    """The ledger's planilhas, subfunções and columns, and what stays typed and why."""
    from siops.forms import razao

    print("\n[razao] O razão: a entrada de receitas e despesas")
    print("  planilhas de despesa (fonte de recursos):")
    for p in razao.PLANILHAS:
        marca = "; computada no mínimo (ASPS)" if p.computada else ""
        marca += "; LC 173/2020" if p.lc173 else ""
        marca += "; NÃO CONFIRMADO" if p.incerto else ""
        print(f"    {p.codigo}: {p.titulo}  [fonte {p.fonte}{marca}]")
    print(
        "  subfunções: " + ", ".join(f"{s.id} (sufixo {s.sufixo})" for s in razao.SUBFUNCOES_RAZAO)
    )
    print("  colunas de despesa: " + ", ".join(c.id for c in razao.COLUNAS_DESPESA_RAZAO))
    print("  colunas de receita: " + ", ".join(c.id for c in razao.COLUNAS_RECEITA_RAZAO))
    print("  continuam digitadas (e por quê):")
    for tabela, motivo in razao.NAO_DERIVADAS.items():
        print(f"    {tabela}: {motivo}")


def abrir(caminho: Path) -> Declaracao:
    """Open a declaration file for a CLI verb, or raise ``ErroUsuario`` (exit 2)."""
    from siops.app.cli import ErroUsuario
    from siops.ops_format import ArquivoInvalido, ler

    try:
        d = ler(caminho)
    except ArquivoInvalido as exc:
        raise ErroUsuario(str(exc), 2) from None
    for aviso in d.avisos_formato:  # an older format: converted in memory, file untouched
        print(f"siops: aviso: {aviso}", file=sys.stderr)
    return d


def resumo_calculo(d: Declaracao) -> dict:
    """The computed totals and indicators, as a dict of plain text values."""
    cat = d.catalogo
    linhas = {}
    for (t, linha), numeral in cat.numerais.items():
        tab = cat.tabela(t)
        valores = {}
        for c in tab.colunas_da_linha(tab.linha(linha)):
            valores[c.id] = (
                texto_plano(d.valor((t, linha, c.id)))
                if tab.linha(linha).tipo == "valor"
                else str(d.valor((t, linha, c.id)))
            )
        linhas[numeral] = {
            "tabela": t,
            "linha": linha,
            "titulo": tab.linha(linha).titulo,
            "valores": valores,
        }
    ind = {}
    for col in ("empenhada", "liquidada", "paga"):
        i = d.indicadores(col)
        ind[col] = {
            "valor_aplicado": texto_plano(i.valor_aplicado),
            "despesa_minima": texto_plano(i.despesa_minima),
            "diferenca": texto_plano(i.diferenca),
            "limite_nao_cumprido": texto_plano(i.limite_nao_cumprido),
            "percentual": str(i.percentual),
        }
    return {
        "ente": d.ente.codigo,
        "exercicio": d.exercicio,
        "bimestre": d.bimestre,
        "percentual_minimo": str(d.indicadores().percentual_minimo),
        "coluna_apuracao": d.coluna_apuracao,
        "linhas": linhas,
        "indicadores": ind,
    }


def cmd_calcular(args: argparse.Namespace) -> int:
    d = abrir(args.arquivo)
    if args.json:
        print(json.dumps(resumo_calculo(d), ensure_ascii=False, indent=2))
        return 0
    cat = d.catalogo
    legal = d.coluna_apuracao  # liquidada in bimestres 1–5, empenhada in the 6º (nota 1)
    print(f"{d.ente.descricao} — exercício {d.exercicio}, {d.bimestre}º bimestre")
    print(f"Despesas pela coluna da apuração do bimestre: {legal} até o bimestre")
    for (t, linha), numeral in cat.numerais.items():
        tab = cat.tabela(t)
        lin = tab.linha(linha)
        col = "realizada" if "realizada" in [c.id for c in tab.colunas] else None
        col = col or next(
            (c.id for c in tab.colunas_da_linha(lin) if c.id in (legal, "valor", "saldo_final")),
            None,
        )
        if col is None:
            continue
        v = d.valor((t, linha, col))
        texto = apresentar_percentual(v) + "%" if lin.tipo == "percentual" else formatar(v)
        print(f"  ({numeral}) {lin.titulo_em(d.exercicio)[:70]:70} {texto:>22}")
    for col in ("empenhada", "liquidada", "paga"):
        i = d.indicadores(col)
        print(
            f"Percentual aplicado em ASPS ({col}): {apresentar_percentual(i.percentual)}% "
            f"(mínimo {apresentar_percentual(i.percentual_minimo)}%)"
        )
    return 0


def cmd_exportar(args: argparse.Namespace) -> int:
    from siops.forms.planilha import exportar_csv, exportar_json

    if args.formato == "impt":
        return _exportar_impt(args)
    d = abrir(args.arquivo)
    texto = exportar_csv(d, args.calculadas) if args.formato == "csv" else exportar_json(d, True)
    if args.saida:
        args.saida.write_text(texto, encoding="utf-8")
    else:
        sys.stdout.write(texto)
    return 0


def _exportar_impt(args: argparse.Namespace) -> int:
    """``exportar --formato impt -o SAIDA.zip``: the ledger as the SIOPS integration file."""
    from siops.app.cli import ErroUsuario
    from siops.contabil import ErroContabil
    from siops.contabil.impt import escrever

    if args.saida is None:
        raise ErroUsuario("--formato impt grava um .zip: informe o arquivo com -o SAIDA.zip.", 2)
    d = abrir(args.arquivo)
    try:
        r = escrever(d, args.saida)
    except ErroContabil as exc:
        raise ErroUsuario(str(exc), 2) from None
    for aviso in r.avisos:
        print(f"Aviso: {aviso}", file=sys.stderr)
    print(
        f"{len(r.arquivos)} arquivo(s), {r.linhas} linha(s) gravados em {args.saida}.",
        file=sys.stderr,
    )
    return 0


def cmd_importar_planilha(args: argparse.Namespace) -> int:
    from siops.app.cli import ErroUsuario
    from siops.forms.planilha import ErroPlanilha, decodificar, ler_csv
    from siops.ops_format import ErroGravacao, salvar

    d = abrir(args.arquivo)
    try:
        bruto = args.planilha.read_bytes()
    except OSError as exc:
        raise ErroUsuario(
            f"Não foi possível ler a planilha {args.planilha}: {exc.strerror}."
        ) from None
    texto = decodificar(bruto)
    try:
        lote = ler_csv(d, texto)
    except ErroPlanilha as exc:
        raise ErroUsuario(f"{args.planilha}, {exc} Nada foi importado.", 2) from None
    d.aplicar(lote)
    try:
        salvar(d, args.arquivo)
    except ErroGravacao as exc:
        raise ErroUsuario(str(exc), 2) from None
    print(
        f"{len(lote.comandos)} valores importados de {args.planilha} para {args.arquivo}.",
        file=sys.stderr,
    )
    return 0
