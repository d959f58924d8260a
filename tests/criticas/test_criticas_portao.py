"""Issue 20.3: the transmission gate runs the same rules with the same inputs as the server —
the reference (FNS and constitutional shares) asked to the configured server and cached with
its date, and the previous bimestre's file found in the standard folder by itself.

Through the CLI (``siops gravar-transmissao``, in process) and, for the reference, through the
real server (``siops-servidor``, its ``GET /api/v1/referencia-fns`` endpoint and its own
re-validation).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from siops.app import portao
from siops.app.cli import main
from siops.ops_format import salvar

ASPS = ("despesas_asps", "s301_33")
ENTE = "M355030"


def _salvar(d, caminho=None):
    from siops.ops_format.caminhos import caminho_padrao

    destino = caminho or caminho_padrao(d.ente, d.exercicio, d.bimestre)
    destino.parent.mkdir(parents=True, exist_ok=True)
    return salvar(d, destino)


def test_sem_servidor_e_sem_anterior_grava_e_diz_o_que_faltou(cx, municipio, pastas, capsys):
    p = _salvar(cx.limpa(municipio, 6))
    assert main(["gravar-transmissao", str(p)]) == 0
    err = capsys.readouterr().err
    assert "Sem a referência do FNS e das transferências constitucionais" in err
    assert "as críticas 310, 352 e 320 não foram verificadas aqui" in err
    assert "não respondeu" in err
    assert "Não foi encontrado o arquivo do 5º bimestre" in err
    assert "as críticas 204 e 515" in err
    assert (p.parent / "transm" / p.name).is_file()


def test_acha_o_anterior_na_pasta_padrao(cx, municipio, pastas, capsys):
    # 5º bimestre: R$ 150.000,01 pagos; the 6º declares R$ 150.000,00 (cumulative values
    # cannot go down without an explanation): 515, an aviso.
    ant = cx.limpa(municipio, 5)
    cx.definir(ant, (*ASPS, "paga"), "150000.01")
    p_ant = _salvar(ant)
    d = cx.limpa(municipio, 6)
    p = _salvar(d)
    achados, notas = portao.verificar_portao(d, p, usar_rede=False)
    assert [a.codigo for a in achados if a.codigo in (204, 515)] == [515]
    assert f"Comparada com a declaração do 5º bimestre em {p_ant}." in notas
    assert main(["gravar-transmissao", str(p), "--sem-servidor"]) == 0  # an aviso
    assert "Comparada com a declaração do 5º bimestre" in capsys.readouterr().err


def test_acha_o_anterior_na_pasta_irma_fora_da_raiz(cx, municipio, pastas, tmp_path):
    ant = cx.limpa(municipio, 2)
    cx.definir(ant, (*ASPS, "paga"), "150000.01")
    outra = tmp_path / "escritorio" / "2025"
    _salvar(ant, outra / "SegundoBimestre" / "M355030_2025_SegundoBimestre.OPS")
    d = cx.limpa(municipio, 3)
    p = _salvar(d, outra / "TerceiroBimestre" / "M355030_2025_TerceiroBimestre.OPS")
    achados, notas = portao.verificar_portao(d, p, usar_rede=False)
    assert 515 in [a.codigo for a in achados]
    assert any(n.startswith("Comparada com a declaração do 2º bimestre") for n in notas)


def test_anterior_de_outro_ente_nao_serve_e_e_dito(cx, municipio, estado, pastas, capsys):
    outro = _salvar(cx.limpa(estado, 2))
    p = _salvar(cx.limpa(municipio, 3))
    assert main(["gravar-transmissao", str(p), "--sem-servidor", "--anterior", str(outro)]) == 0
    err = capsys.readouterr().err
    assert "não serve de comparação; as críticas 204 e 515 não foram verificadas" in err


def test_primeiro_bimestre_nao_procura_anterior(cx, municipio, pastas):
    d = cx.limpa(municipio, 1)
    _, notas = portao.verificar_portao(d, _salvar(d), usar_rede=False)
    assert not [n for n in notas if "bimestre" in n and "arquivo" in n]


def test_cache_velho_e_dito_e_ainda_vale(cx, municipio, pastas):
    # A cache obtained 10 days ago (more than IDADE_MAXIMA, 7 days): still used, with a note.
    d = cx.limpa(municipio, 6)
    ref = portao.Referencia()
    ref.definir(ENTE, 2025, 6, custeio=Decimal("1000.00"))
    quando = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    portao.guardar_cache(pastas.cliente, "http://exemplo", ENTE, 2025, ref.para_json(), quando)
    usada, notas = portao.obter_referencia(
        d, usar_rede=False, pasta=pastas.cliente, momento=quando + dt.timedelta(days=10)
    )
    assert usada == ref
    assert "guardada em 10/01/2026 09:30 do servidor http://exemplo, há 10 dias" in notas[0]
    assert "pode estar desatualizada" in notas[0]
    usada, notas = portao.obter_referencia(
        d, usar_rede=False, pasta=pastas.cliente, momento=quando + dt.timedelta(days=6)
    )
    assert "desatualizada" not in notas[0] and "guardada em 10/01/2026 09:30" in notas[0]


def test_servidor_sem_valores_do_bimestre_e_dito(cx, municipio, pastas):
    d = cx.limpa(municipio, 6)
    ref = portao.Referencia()
    ref.definir(ENTE, 2025, 5, custeio=Decimal("1.00"))

    def obter(servidor, ente, exercicio):
        return ref.para_json()

    usada, notas = portao.obter_referencia(d, servidor="http://x", obter=obter)
    assert usada == ref
    assert "não traz valores do 6º bimestre de 2025" in notas[-1]


# --- with the real server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def referencia_no_servidor(servidor_modulo, tmp_path_factory):
    """The module's server with a reference for São Paulo, 6º bimestre of 2025: FNS custeio
    R$ 1.000,00 and FPM R$ 1.000.000,01 (the clean declaration declares R$ 0,00 of FNS and
    R$ 1.000.000,00 of FPM: one centavo short)."""
    arq = tmp_path_factory.mktemp("ref") / "referencia.csv"
    arq.write_text(
        f"ente;exercicio;bimestre;custeio;fpm\n{ENTE};2025;6;1.000,00;1.000.000,01\n",
        encoding="utf-8",
    )
    adm = servidor_modulo.admin("carregar-referencia-fns", str(arq))
    assert adm.returncode == 0, adm.stderr
    return servidor_modulo


def test_portao_usa_a_referencia_do_servidor_e_a_guarda(
    cx, municipio, pastas, referencia_no_servidor, capsys
):
    s = referencia_no_servidor
    pastas.servidor(s.url)
    p = _salvar(cx.limpa(municipio, 6))
    # 6º bimestre: 310 (FNS) and 320 (FPM) escalate and block — the client gate saw them
    assert main(["gravar-transmissao", str(p)]) == 1
    err = capsys.readouterr().err
    assert f"Referência do FNS e das transferências constitucionais obtida do servidor {s.url}" in (
        err
    )
    assert "crítica 310 (impeditiva)" in err and "crítica 320 (impeditiva)" in err
    assert "diferença de R$ 0,01" in err  # FPM: 1.000.000,01 − 1.000.000,00
    assert not (p.parent / "transm").exists()
    cache = json.loads((pastas.cache / f"{ENTE}_2025.json").read_text(encoding="utf-8"))
    assert cache["servidor"] == s.url and cache["obtida_em"][:4] >= "2025"
    # offline (or the server down): the cached reference still blocks, and the gate says so
    pastas.servidor("http://127.0.0.1:9")
    assert main(["gravar-transmissao", str(p)]) == 1
    err = capsys.readouterr().err
    assert "Usada a referência do FNS e das transferências constitucionais guardada em" in err
    assert "não respondeu" in err and "crítica 310 (impeditiva)" in err
    assert main(["gravar-transmissao", str(p), "--sem-servidor"]) == 1
    assert "foi desligada (--sem-servidor)" in capsys.readouterr().err


def test_servidor_sem_referencia_do_ente(cx, pastas, referencia_no_servidor, capsys):
    from siops.forms.entes import ente

    pastas.servidor(referencia_no_servidor.url)
    p = _salvar(cx.limpa(ente("M330455"), 6))  # Rio de Janeiro: nothing loaded
    assert main(["gravar-transmissao", str(p)]) == 0
    err = capsys.readouterr().err
    assert "não tem valores de referência" in err and "Rio de Janeiro/RJ em 2025" in err


def test_servidor_roda_as_mesmas_regras_com_as_mesmas_entradas(
    cx, municipio, referencia_no_servidor, pki
):
    """The server, receiving the files: the previous bimestre's transmission in force is its
    "anterior" (515 as an aviso), and its reference blocks the 6º bimestre (310, 320)."""
    from siops import ops_format

    s = referencia_no_servidor
    chefe = pki.pessoa("chefe-portao", "Prefeita do Portão")
    sec = pki.pessoa("sec-portao", "Secretário do Portão")
    tec = pki.pessoa("tec-portao", "Técnica do Portão")
    token = s.token(tec.cpf, s.registrar_cadeia(ENTE, chefe, sec, tec))

    def transmitir(d):
        return s.transmitir(token, tec.assinar(ops_format.para_bytes(d)))

    b1 = cx.limpa(municipio, 1)
    cx.definir(b1, (*ASPS, "paga"), "150000.01")
    r = transmitir(b1)
    assert r.status_code == 201, r.text
    r = transmitir(cx.limpa(municipio, 2))  # 150.000,00 pagos < 150.000,01 in the 1º
    assert r.status_code == 201, r.text
    assert "515" in {a["codigo"] for a in r.json()["avisos"]}
    r = transmitir(cx.limpa(municipio, 6))
    assert r.status_code == 422, r.text
    codigos = {c["codigo"] for c in r.json().get("criticas", [])}
    assert {"310", "320"} <= codigos, r.text
