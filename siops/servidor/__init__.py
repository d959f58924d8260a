"""O servidor SIOPS: recepção, revalidação, recibos, cadeia de cadastro, homologação,
retransmissão e situação de entrega (issue 8; API em ``docs/api.md``).

Não importa Qt nem ``app`` nem ``transmissor`` (ARCHITECTURE: as setas só apontam para
baixo); a assinatura XMLDSig e os fatos ICP-Brasil vêm de ``assinatura.xmldsig`` e
``assinatura.certificados``, o mesmo código que o transmissor usa para assinar.
"""
