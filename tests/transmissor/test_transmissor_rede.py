"""Falhas de rede contra o servidor real: servidor parado, conexão cortada no envio, 503.

Em todos os casos a transmissão termina com exatamente um protocolo novo no servidor: as
novas tentativas reenviam os mesmos bytes com a mesma chave de idempotência.
"""

from __future__ import annotations

import threading
import time

import pytest

from siops.assinatura.assinador import AssinadorA1
from siops.transmissor import operacoes
from siops.transmissor.cliente import (
    ClienteSIOPS,
    ConfigRede,
    EnderecoRecusado,
    FalhaDeRede,
    validar_endereco,
)
from siops.transmissor.fila import FilaOffline

BIMESTRE = 3


def _cliente(url: str, sessao=None, tentativas: int = 4, recuo: float = 0.05) -> ClienteSIOPS:
    c = ClienteSIOPS(
        ConfigRede(url, tentativas=tentativas, recuo_inicial=recuo, timeout_leitura=30)
    )
    c.sessao = sessao
    return c


@pytest.fixture
def sessao(ambiente, constantes):
    direto = _cliente(ambiente.servidor.url)
    return direto.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)


@pytest.fixture
def transmitir(ambiente, a1_tecnico, copia_transmissao, dados_cliente):
    """``transmitir(cliente, valor_base)``: assina com A1 e envia uma cópia nova do 3º bimestre."""
    fila = FilaOffline(dados_cliente / "fila")

    def fazer(cliente: ClienteSIOPS, valor: str):
        copia = copia_transmissao(BIMESTRE, valor)
        a = AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha)
        return operacoes.transmitir_arquivo(copia, a, cliente, fila), fila

    return fazer


def _novos(ambiente, antes: list) -> list:
    """As transmissões do período criadas depois de ``antes`` (pelo protocolo)."""
    vistos = {p for p, _s in antes}
    return [t for t in ambiente.servidor.transmissoes(BIMESTRE) if t[0] not in vistos]


def test_servidor_parado_vai_para_a_fila_e_sai_quando_volta(ambiente, sessao, transmitir):
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    ambiente.servidor.parar()
    try:
        r, fila = transmitir(_cliente(ambiente.servidor.url, sessao, tentativas=2), "1000001.00")
        assert r.estado == "na_fila"
        assert f"127.0.0.1:{ambiente.servidor.porta}" in r.mensagem  # nomeia o endereço
        assert "ficou na fila" in r.mensagem
        assert operacoes.estado_arquivo(r.arquivo, fila).estado == "na_fila"
        assert len(fila.itens()) == 1
    finally:
        ambiente.servidor.iniciar()
    resultados = operacoes.processar_fila(_cliente(ambiente.servidor.url, sessao), fila)
    assert [x.estado for x in resultados] == ["transmitido"]
    assert fila.itens() == []
    assert operacoes.estado_arquivo(r.arquivo, fila).estado == "transmitido"
    novos = _novos(ambiente, antes)
    assert len(novos) == 1 and novos[0][0] == resultados[0].protocolo


def test_servidor_volta_durante_as_tentativas(ambiente, sessao, transmitir):
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    ambiente.servidor.parar()
    volta = threading.Thread(target=lambda: (time.sleep(1.0), ambiente.servidor.iniciar()))
    volta.start()
    try:
        r, _fila = transmitir(
            _cliente(ambiente.servidor.url, sessao, tentativas=12, recuo=0.25), "1000002.00"
        )
    finally:
        volta.join()
    assert r.estado == "transmitido", r.mensagem
    assert _novos(ambiente, antes) == [(r.protocolo, "transmitido")]


def test_conexao_cortada_no_meio_do_envio(ambiente, sessao, transmitir, proxy_falho):
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    proxy = proxy_falho("cortar_pedido", 2)
    r, _fila = transmitir(_cliente(proxy.url, sessao), "1000003.00")
    assert r.estado == "transmitido", r.mensagem
    assert proxy.estragadas == 2
    assert _novos(ambiente, antes) == [(r.protocolo, "transmitido")]


def test_resposta_perdida_depois_de_o_servidor_aceitar(ambiente, sessao, transmitir, proxy_falho):
    """O servidor aceitou, mas a resposta não chegou: o reenvio devolve o MESMO protocolo (200)."""
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    proxy = proxy_falho("cortar_resposta", 1)
    r, _fila = transmitir(_cliente(proxy.url, sessao), "1000004.00")
    assert r.estado == "transmitido", r.mensagem
    assert r.repeticao, "a segunda tentativa deveria ser a repetição idempotente"
    assert _novos(ambiente, antes) == [(r.protocolo, "transmitido")]


def test_503_repetidos(ambiente, sessao, transmitir, proxy_falho):
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    proxy = proxy_falho("503", 3)
    r, _fila = transmitir(_cliente(proxy.url, sessao, tentativas=5), "1000005.00")
    assert r.estado == "transmitido", r.mensagem
    assert proxy.estragadas == 3
    assert _novos(ambiente, antes) == [(r.protocolo, "transmitido")]


def test_503_sem_fim_e_limitado_e_enfileira(ambiente, sessao, transmitir, proxy_falho):
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    proxy = proxy_falho("503", 1000)
    r, fila = transmitir(_cliente(proxy.url, sessao, tentativas=3), "1000006.00")
    assert r.estado == "na_fila"
    assert "503" in r.mensagem and "tentativas: 3" in r.mensagem
    assert proxy.estragadas == 3
    assert _novos(ambiente, antes) == []
    # a rede volta: a fila (que é por servidor) sai pelo mesmo endereço
    proxy.restantes = 0
    resultados = operacoes.processar_fila(_cliente(proxy.url, sessao), fila)
    assert [x.estado for x in resultados] == ["transmitido"]
    assert len(_novos(ambiente, antes)) == 1


# ------------------------------------------------------------------ endereços e proxy


def test_http_so_para_o_proprio_computador():
    assert validar_endereco("http://127.0.0.1:8470/") == "http://127.0.0.1:8470"
    assert validar_endereco("http://localhost:1") == "http://localhost:1"
    assert validar_endereco("http://[::1]:9/api/v1") == "http://[::1]:9"
    assert validar_endereco("https://siops.saude.gov.br") == "https://siops.saude.gov.br"
    with pytest.raises(EnderecoRecusado, match="sem criptografia") as erro:
        validar_endereco("http://siops.saude.gov.br")
    assert "https://siops.saude.gov.br" in str(erro.value)
    with pytest.raises(EnderecoRecusado):
        validar_endereco("ftp://x")
    with pytest.raises(EnderecoRecusado):
        validar_endereco("")


def test_loopback_ignora_proxy_do_ambiente(ambiente, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # um proxy que não existe
    monkeypatch.setenv("NO_PROXY", "")
    c = _cliente(ambiente.servidor.url, tentativas=1)
    assert c.certificado_recibos().startswith(b"-----BEGIN CERTIFICATE-----")


def test_proxy_explicito_e_nenhum():
    c = ClienteSIOPS(
        ConfigRede("https://siops.exemplo.gov.br", proxy="http://proxy.prefeitura:3128")
    )
    assert c.http.proxies == {
        "http": "http://proxy.prefeitura:3128",
        "https": "http://proxy.prefeitura:3128",
    }
    assert c.http.trust_env is False
    c = ClienteSIOPS(ConfigRede("https://siops.exemplo.gov.br", proxy=""))
    assert c.http.proxies == {} and c.http.trust_env is False
    c = ClienteSIOPS(ConfigRede("https://siops.exemplo.gov.br"))
    assert c.http.trust_env is True  # sistema/ambiente


def test_proxy_que_nao_responde_e_nomeado():
    c = ClienteSIOPS(
        ConfigRede(
            "https://siops.exemplo.gov.br",
            proxy="http://127.0.0.1:9",
            tentativas=2,
            recuo_inicial=0.01,
        )
    )
    with pytest.raises(FalhaDeRede) as erro:
        c.certificado_recibos()
    assert "proxy" in str(erro.value) and "siops.exemplo.gov.br" in str(erro.value)


def test_https_verifica_o_certificado_do_servidor(tmp_path, hierarquia):
    """Um servidor HTTPS com certificado de AC desconhecida é recusado com mensagem clara."""
    import http.server
    import ssl

    from cryptography.hazmat.primitives import serialization

    from siops.transmissor import icp_teste

    s = icp_teste.emitir_servidor(hierarquia, dns=("localhost",))
    cert = tmp_path / "srv.pem"
    chave = tmp_path / "srv.key"
    cert.write_bytes(icp_teste.pem(s.cert) + icp_teste.pem(hierarquia.intermediaria))
    chave.write_bytes(
        s.chave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_a):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Ok)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, chave)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        url = f"https://localhost:{httpd.server_address[1]}"
        with pytest.raises(FalhaDeRede, match="não pôde ser verificada"):
            ClienteSIOPS(ConfigRede(url, tentativas=1)).certificado_recibos()
        # com a raiz de teste como pacote de ACs, passa
        ok = ClienteSIOPS(ConfigRede(url, tentativas=1, ca_bundle=str(hierarquia.raiz_pem)))
        assert ok.certificado_recibos() == b"ok"
    finally:
        httpd.shutdown()
        httpd.server_close()
