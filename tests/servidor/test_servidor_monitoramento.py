"""A situação dos entes (MMTC) e o Módulo de Controle Externo (issue 25, itens 1 e 4), pelo
servidor real com o relógio de arquivo definido pelo teste.

* homologado acima do mínimo → REGULAR; abaixo → CONDICIONADA, com as transferências (FPM e
  ITR) e a conta ``ASPS-LC141-FMS-<SIAFI>-<UF>`` nomeadas;
* a aplicação da diferença demonstrada nas modalidades 36/46/76/96 do exercício seguinte →
  REGULAR; não demonstrada em 12 meses → SUSPENSA;
* o técnico do Tribunal de Contas (cadastrado pelo administrador) envia os números pelo
  ``siopsnet`` e pela API: os números públicos mudam e a página diz "apurado pelo Tribunal de
  Contas"; quem não é técnico, ou fora da jurisdição, é recusado;
* páginas em português, ``dd/mm/aaaa`` e ``1.234,56``; a exportação diária em CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal

from siops.servidor.local import ambiente_filho
from tests.servidor.monitoramento_apoio import (
    CONFIG,
    Relogio,
    assinar,
    cadeia,
    declaracao,
    homologar,
    pagina,
    situacao,
    transmitir,
)

REGULAR = "M140010"  # Boa Vista/RR
CONDICIONADO = "M140015"  # Bonfim/RR: abaixo do mínimo; o TC apura outro número
SEM_COMPENSAR = "M140017"  # Cantá/RR: abaixo do mínimo, nunca compensa
COMPENSA = "M140020"  # Caracaraí/RR: abaixo do mínimo, compensa na modalidade 96 em 2026


def _agora_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def test_situacao_regular_condicionada_suspensa_e_tribunal_de_contas(
    fabrica_servidor, pki, tmp_path
):
    s = fabrica_servidor(CONFIG)
    r = Relogio(s, "2026-01-10T10:00:00-03:00")
    s.iniciar()
    siafi = tmp_path / "siafi.csv"
    siafi.write_text("ente;siafi\nM140015;0301\n1400175;0305\n", encoding="utf-8")
    res = s.admin("carregar-siafi", str(siafi))
    assert res.returncode == 0, res.stderr

    protocolos = {}
    gestores = {}
    for i, (codigo, fator) in enumerate(
        (
            (REGULAR, Decimal("1")),
            (CONDICIONADO, Decimal("0.5")),
            (SEM_COMPENSAR, Decimal("0.5")),
            (COMPENSA, Decimal("0.5")),
        )
    ):
        ch, sec, tec = (pki.pessoa(f"mon-s{i}-{p}", f"{p.upper()} {i}") for p in "cst")
        senha = cadeia(s, r, codigo, ch, sec, tec)
        token = s.token(tec.cpf, senha)
        t = transmitir(s, token, tec, declaracao(codigo, fator=fator))
        homologar(s, r, sec, t)
        protocolos[codigo] = t["protocolo"]
        gestores[codigo] = (sec, tec, senha)

    sit = situacao(s, REGULAR)
    assert sit["situacao"] == "REGULAR" and sit["exercicio"] == 2025, sit
    assert sit["gestor"]["cumpriu_minimo"] and sit["prevalece"] == "gestor"
    html = pagina(s, REGULAR)
    assert 'class="regular">REGULAR' in html and "25,84%" in html, html
    assert "10/01/2026" in html  # homologado em dd/mm/aaaa

    sit = situacao(s, CONDICIONADO)
    assert sit["situacao"] == "CONDICIONADA", sit
    assert sit["transferencias"] == ["FPM", "ITR"]
    assert sit["conta"] == "ASPS-LC141-FMS-0301-RR", sit
    assert sit["compensacao"]["prazo"] == "2027-01-10", sit
    falta = Decimal(sit["gestor"]["valor_nao_aplicado"])
    assert falta > 0
    html = pagina(s, CONDICIONADO)
    assert "ASPS-LC141-FMS-0301-RR" in html and "FPM e ITR" in html, html
    assert "10/01/2027" in html  # o prazo da compensação
    # 1.234,56: o valor não aplicado com separador de milhar e vírgula
    assert f"R$ {_br(falta)}" in html, (_br(falta), html)
    assert situacao(s, SEM_COMPENSAR)["conta"] == "ASPS-LC141-FMS-0305-RR"

    # a página da UF, só os condicionados
    resp = s.http.get(f"{s.url}/monitoramento", params={"uf": "RR", "situacao": "CONDICIONADA"})
    assert resp.status_code == 200
    assert f'data-ente="{CONDICIONADO}"' in resp.text and f'data-ente="{REGULAR}"' not in resp.text
    doc = s.http.get(f"{s.url}/api/v1/monitoramento", params={"uf": "RR"}, timeout=60).json()
    assert doc["contagens"]["CONDICIONADA"] == 3 and doc["contagens"]["REGULAR"] == 1, doc

    # o relógio no presente: a compensação em 2026 (modalidade 96) e o Tribunal de Contas
    r.mover(_agora_iso())
    sec, tec, senha = gestores[COMPENSA]
    token = s.token(tec.cpf, senha)
    t = transmitir(s, token, tec, declaracao(COMPENSA, 2026, 2, modalidade96=falta * 2))
    sit = situacao(s, COMPENSA)
    assert sit["situacao"] == "CONDICIONADA", sit  # transmitido, ainda não homologado
    homologar(s, r, sec, t)
    sit = situacao(s, COMPENSA)
    assert sit["situacao"] == "REGULAR", sit
    assert "modalidades 36, 46, 76 e 96" in sit["motivo"] and t["protocolo"] in sit["motivo"]

    _tribunal_de_contas(s, r, pki, tmp_path)

    # a exportação diária
    res = s.admin("exportar-situacao")
    assert res.returncode == 0, res.stderr
    arquivos = sorted((s.dados / "exportacao").glob("situacao-*.csv"))
    assert len(arquivos) == 1, arquivos
    linhas = list(csv.DictReader(io.StringIO(arquivos[0].read_text("utf-8")), delimiter=";"))
    assert len(linhas) == 5596  # 26 estados, o DF e 5.569 municípios (Brasília é o DF)
    por = {li["codigo_siops"]: li for li in linhas}
    assert por[REGULAR]["situacao"] == "REGULAR" and por[REGULAR]["fonte_dos_numeros"] == "gestor"
    assert por[CONDICIONADO]["fonte_dos_numeros"] == "tribunal_de_contas"
    assert por[CONDICIONADO]["percentual_aplicado"] == "16.00"
    assert por[SEM_COMPENSAR]["situacao"] == "CONDICIONADA"
    assert por[SEM_COMPENSAR]["conta_vinculada"] == "ASPS-LC141-FMS-0305-RR"
    assert por["M355030"]["codigo_ibge"] == "3550308"

    # 12 meses depois do condicionamento sem demonstrar a aplicação: SUSPENSA
    r.mover("2027-01-12T10:00:00-03:00")
    sit = situacao(s, SEM_COMPENSAR)
    assert sit["situacao"] == "SUSPENSA" and sit["exercicio"] == 2025, sit
    assert "sem demonstrar em 12 meses" in sit["motivo"], sit
    assert situacao(s, COMPENSA)["situacao"] == "REGULAR"


def _br(v: Decimal) -> str:
    from siops.forms.dinheiro import formatar

    texto = formatar(v)
    assert "," in texto
    return texto


def _tribunal_de_contas(s, r, pki, tmp_path) -> None:
    """O MCE: cadastro pelo administrador, envio pelo siopsnet e pela API, recusas."""
    from siops.transmissor import icp_teste

    tc = pki.pessoa("mon-tc", "Técnica do TCE")
    res = s.admin(
        "cadastrar-tecnico-tc", "--cpf", tc.cpf, "--nome", tc.nome, "--tribunal", "TCE-RR",
        "--ufs", "RR", "--email", tc.email,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    antes = situacao(s, CONDICIONADO)
    assert antes["situacao"] == "CONDICIONADA" and antes["tribunal"] is None

    # pelo siopsnet, com o A1 da técnica
    pfx = icp_teste.gravar_pfx(
        tmp_path / "tc.pfx", tc.emitido.chave, tc.emitido.cert, tc.emitido.cadeia, "senha-pfx"
    )
    env = ambiente_filho({"SIOPS_SENHA_PFX": "senha-pfx", "HOME": str(tmp_path)})
    cmd = [
        sys.executable, "-c", "import sys; from siops.transmissor.cli import main; "
        "sys.exit(main())", "controle-externo", "--ente", CONDICIONADO, "--exercicio", "2025",
        "--valor-aplicado", "3.900.000,00", "--percentual", "16,00", "--a1", str(pfx),
        "--servidor", s.url, "--sem-proxy", "--json",
    ]  # fmt: skip
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "TCE-RR" in res.stderr and "16,00%" in res.stderr, res.stderr
    sit = situacao(s, CONDICIONADO)
    assert sit["situacao"] == "REGULAR", sit
    assert sit["prevalece"] == "tribunal" and sit["apurado_pelo_tribunal_de_contas"]
    assert sit["tribunal"]["percentual"] == "16.00" and sit["tribunal"]["tribunal"] == "TCE-RR"
    assert sit["gestor"]["percentual"] == antes["gestor"]["percentual"]  # os dois ficam
    html = pagina(s, CONDICIONADO)
    assert "apurado pelo Tribunal de Contas" in html.replace("<b>", "").replace("</b>", "")
    assert "16,00%" in html and "R$ 3.900.000,00" in html, html
    assert "Declarado e homologado pelo gestor do SUS" in html
    uf = s.http.get(f"{s.url}/monitoramento", params={"uf": "RR"}).text
    linha = uf.split(f'data-ente="{CONDICIONADO}"')[1].split("</tr>")[0]
    assert "16,00%" in linha and "apurado pelo Tribunal de Contas" in linha, linha

    # pela API: um novo envio substitui o anterior
    campos = {"Ente": CONDICIONADO, "Exercicio": 2025, "ValorAplicado": "3500000.00",
              "Percentual": "14.50"}  # fmt: skip
    resp = s.post_xml("/api/v1/controle-externo", assinar(r, tc, "ControleExterno", campos))
    assert resp.status_code == 201, resp.text
    assert resp.json()["tribunal"] == "TCE-RR"
    sit = situacao(s, CONDICIONADO)
    assert sit["situacao"] == "CONDICIONADA" and sit["tribunal"]["percentual"] == "14.50", sit
    assert "apurado pelo Tribunal de Contas" in sit["motivo"]
    # fora da jurisdição e quem não é técnico: 403
    campos_sp = {**campos, "Ente": "M355030"}
    resp = s.post_xml("/api/v1/controle-externo", assinar(r, tc, "ControleExterno", campos_sp))
    assert resp.status_code == 403 and resp.json()["codigo"] == "signatario_nao_e_tecnico_tc"
    outro = pki.pessoa("mon-nao-tc")
    resp = s.post_xml("/api/v1/controle-externo", assinar(r, outro, "ControleExterno", campos))
    assert resp.status_code == 403, resp.text
    assert "não está cadastrado como técnico" in resp.json()["motivos"][0]
    # o mesmo documento assinado não vale duas vezes
    doc = assinar(r, tc, "ControleExterno", {**campos, "Percentual": "16.00"})
    assert s.post_xml("/api/v1/controle-externo", doc).status_code == 201
    assert s.post_xml("/api/v1/controle-externo", doc).status_code == 409
    assert situacao(s, CONDICIONADO)["situacao"] == "REGULAR"
    assert os.environ.get("SIOPS_SENHA_PFX") is None
