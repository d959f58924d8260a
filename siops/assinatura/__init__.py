"""Assinatura digital do SIOPS, o núcleo comum ao transmissor e ao servidor (issue 18, item 2).

Aqui ficam, uma vez só: a interface ``Assinador`` com o A1 (PKCS#12) e o A3 (PKCS#11, em que a
sessão com o token pertence a um gerenciador de contexto e o token é escolhido por rótulo ou por
número de série, ``CriterioToken``) em ``assinador``; a assinatura e a verificação XMLDSig em
``xmldsig``; os fatos do certificado ICP-Brasil (CPF do otherName, validade, cadeia) em
``certificados``; e o único parser XML endurecido do projeto em ``xml_seguro``.

Por que um pacote próprio: o servidor precisa verificar e assinar com o mesmo código que o
transmissor usa, sem importar o cliente (ARCHITECTURE: ``servidor`` e ``transmissor`` nunca se
importam). Este pacote não lê nada acima dele (nem ``ops_format``, nem ``transmissor``, nem
``servidor``, nem Qt); o import-linter confere (``pyproject.toml``, ``[tool.importlinter]``).
"""
