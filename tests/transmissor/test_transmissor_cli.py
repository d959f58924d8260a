"""``siopsnet`` na linha de comando: transmitir, recibo --verificar, situacao, fila, códigos de saída."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from siops.transmissor import cli
from siops.transmissor.recibos import Arquivos


@pytest.fixture
def env_a1(monkeypatch, ambiente, a1_tecnico):
    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_SENHA_PFX, a1_tecnico.senha)


def _base(ambiente, constantes, a1) -> list[str]:
    return [
        "--servidor",
        ambiente.servidor.url,
        "--cpf",
        constantes.cpf_tecnico,
        "--a1",
        str(a1.caminho),
    ]


def test_help_nomeia_as_variaveis_de_ambiente(capsys):
    with pytest.raises(SystemExit) as saida:
        cli.executar(["transmitir", "--help"])
    assert saida.value.code == 0
    texto = capsys.readouterr().out
    for v in (cli.ENV_SENHA_PFX, cli.ENV_PIN, cli.ENV_SENHA):
        assert v in texto


def test_transmitir_recibo_e_situacao(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, env_a1, capsys
):
    copia = copia_transmissao(5, "2000000.00")
    assert (
        cli.executar(["transmitir", str(copia), *_base(ambiente, constantes, a1_tecnico), "--json"])
        == 0
    )
    out = capsys.readouterr()
    res = json.loads(out.out)
    assert res[0]["estado"] == "transmitido" and res[0]["protocolo"]
    assert "protocolo" in out.err
    protocolo = res[0]["protocolo"]
    # recibo --verificar, sem rede (a âncora foi guardada na pasta de dados)
    assert cli.executar(["recibo", str(copia), "--verificar"]) == 0
    assert f"protocolo {protocolo}" in capsys.readouterr().out
    # um byte mudado na cópia assinada guardada: o recibo não confere mais → 1
    arqs = Arquivos(copia)
    original = arqs.assinado.read_bytes()
    arqs.assinado.write_bytes(original.replace(b"2000000.00", b"2000000.01", 1))
    assert cli.executar(["recibo", str(arqs.recibo_xml), "--verificar"]) == 1
    assert "resumo (SHA-256) é diferente" in capsys.readouterr().err
    arqs.assinado.write_bytes(original)
    # situação pelo arquivo
    assert (
        cli.executar(
            [
                "situacao",
                str(copia),
                "--servidor",
                ambiente.servidor.url,
                "--cpf",
                constantes.cpf_tecnico,
            ]
        )
        == 0
    )
    assert f"protocolo {protocolo}" in capsys.readouterr().out
    # situação pública do ente
    assert (
        cli.executar(
            [
                "situacao",
                "--ente",
                "M355030",
                "--exercicio",
                "2025",
                "--servidor",
                ambiente.servidor.url,
            ]
        )
        == 0
    )
    assert "5º bimestre: transmitido" in capsys.readouterr().out


def test_senha_errada_do_servidor_sai_1(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
):
    monkeypatch.setenv(cli.ENV_SENHA, "senha-errada")
    monkeypatch.setenv(cli.ENV_SENHA_PFX, a1_tecnico.senha)
    copia = copia_transmissao(5, "2000000.00")
    assert cli.executar(["transmitir", str(copia), *_base(ambiente, constantes, a1_tecnico)]) == 1
    assert "CPF ou senha incorretos" in capsys.readouterr().err


def test_senha_errada_do_a1_sai_2(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
):
    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_SENHA_PFX, "errada")
    copia = copia_transmissao(5, "2000000.00")
    assert cli.executar(["transmitir", str(copia), *_base(ambiente, constantes, a1_tecnico)]) == 2
    assert "senha do certificado A1" in capsys.readouterr().err


def test_arquivo_invalido_sai_2(tmp_path, capsys, dados_cliente):
    ruim = tmp_path / "transm" / "M355030_2025_PrimeiroBimestre.OPS"
    ruim.parent.mkdir()
    ruim.write_text("<nao-e-ops/>")
    assert (
        cli.executar(
            [
                "transmitir",
                str(ruim),
                "--servidor",
                "http://127.0.0.1:9",
                "--cpf",
                "52998224725",
                "--a1",
                "x.pfx",
            ]
        )
        == 2
    )
    assert "Traceback" not in capsys.readouterr().err


def test_http_fora_do_loopback_sai_2(copia_transmissao, capsys, dados_cliente):
    copia = copia_transmissao(5)
    codigo = cli.executar(
        [
            "transmitir",
            str(copia),
            "--servidor",
            "http://siops.exemplo.gov.br",
            "--cpf",
            "52998224725",
            "--a1",
            "x.pfx",
        ]
    )
    assert codigo == 2
    assert "sem criptografia" in capsys.readouterr().err


def test_token_cli_com_pin_do_ambiente(
    ambiente, softhsm, hierarquia, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
):
    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_PIN, "000000")
    copia = copia_transmissao(5, "2000000.00")
    args = [
        "transmitir",
        str(copia),
        "--servidor",
        ambiente.servidor.url,
        "--cpf",
        constantes.cpf_tecnico,
        "--pkcs11",
        softhsm.modulo,
        "--token",
        "SIOPS-TECNICO",
        "--intermediarios",
        str(hierarquia.intermediaria_pem),
    ]
    assert cli.executar(args) == 2
    assert "PIN incorreto" in capsys.readouterr().err
    monkeypatch.setenv(cli.ENV_PIN, constantes.pin)
    assert cli.executar(args) == 0


def test_rede_fora_sai_3_e_fila_envia_depois(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, env_a1, capsys, proxy_falho
):
    """Sem rede (o proxy derruba tudo) a saída é 3 e o arquivo fica na fila; ``fila --enviar`` o manda."""
    proxy = proxy_falho("cortar_pedido", 1000)
    copia = copia_transmissao(5, "2000000.02")
    # o login passa direto; só o envio vai pelo proxy que falha: simulamos com a URL do proxy
    # para tudo e deixando o login passar (as primeiras conexões são do login)
    proxy.restantes = 0
    base = [
        "--servidor",
        proxy.url,
        "--cpf",
        constantes.cpf_tecnico,
        "--a1",
        str(a1_tecnico.caminho),
        "--tentativas",
        "2",
    ]

    import siops.transmissor.cliente as mod

    original = mod.ClienteSIOPS.entrar

    def entrar_e_cortar(self, cpf, senha):
        s = original(self, cpf, senha)
        proxy.restantes = 1000
        self.http.close()
        return s

    mod.ClienteSIOPS.entrar = entrar_e_cortar
    try:
        assert cli.executar(["transmitir", str(copia), *base]) == 3
    finally:
        mod.ClienteSIOPS.entrar = original
    err = capsys.readouterr().err
    assert "ficou na fila" in err and f"127.0.0.1:{proxy.porta}" in err
    assert cli.executar(["fila", "--json"]) == 0
    itens = json.loads(capsys.readouterr().out)
    assert len(itens) == 1 and itens[0]["arquivo"] == str(copia.resolve())
    proxy.restantes = 0
    assert (
        cli.executar(["fila", "--enviar", "--servidor", proxy.url, "--cpf", constantes.cpf_tecnico])
        == 0
    )
    assert "protocolo" in capsys.readouterr().err
    assert cli.executar(["fila", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_console_script_sai_com_o_codigo(tmp_path):
    """O executável de verdade (subprocesso): entrada inválida → 2, sem traceback."""
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from siops.transmissor.cli import main; sys.exit(main())",
            "recibo",
            str(tmp_path / "x.OPS"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"SIOPS_TRANSMISSOR_DADOS": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 2, r.stderr
    assert "Não há recibo guardado" in r.stderr and "Traceback" not in r.stderr
    assert "PySide6" not in r.stderr


def test_homologar_pela_cli(
    ambiente,
    a1_tecnico,
    a1_gestor,
    constantes,
    copia_transmissao,
    dados_cliente,
    env_a1,
    capsys,
    tmp_path,
):
    copia = copia_transmissao(5, "2000000.04")
    assert cli.executar(["transmitir", str(copia), *_base(ambiente, constantes, a1_tecnico)]) == 0
    capsys.readouterr()
    pdf = tmp_path / "rreo-assinado.pdf"
    args = [
        "homologar",
        str(copia),
        "--servidor",
        ambiente.servidor.url,
        "--a1",
        str(a1_gestor.caminho),
    ]
    assert cli.executar([*args, "--sim", "--saida", str(pdf)]) == 0
    err = capsys.readouterr().err
    assert "Percentual aplicado" in err and "Homologado — protocolo" in err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert Arquivos(copia).homologacao_xml.exists()
    # de novo: o servidor recusa (já homologado) → 1
    assert cli.executar([*args, "--sim", "--sem-pdf"]) == 1
    assert "homolog" in capsys.readouterr().err.lower()
