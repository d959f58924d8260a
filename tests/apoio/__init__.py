"""O apoio dos testes que falam com o servidor real (issue 18, item 4): um lugar só.

* ``apoio.servidor`` — a caixa do SMTP de teste (``Caixa``, aiosmtpd no loopback), as pessoas
  com e-CPF de teste (``PKI``, ``Pessoa``), os documentos de pedido (``documento``) e o
  ``Servidor`` dos testes: o ``siops.servidor.local.ServidorLocal`` do pacote (o mesmo que a
  demonstração e os benchmarks usam) com os atalhos HTTP dos cenários.
* ``apoio.fixtures`` — as fixtures pytest (``smtp``, ``pki``, ``servidor``, ``fabrica_servidor``,
  ``servidor_modulo``, ``outro_servidor``, ``demo``), registradas para toda a pasta ``tests/``
  por ``tests/conftest.py``.

Nada fora de ``tests/`` e ``bench/`` importa daqui: o que a demonstração precisa está no pacote
(``siops/servidor/local.py``, ``siops/transmissor/icp_teste.py``).
"""
