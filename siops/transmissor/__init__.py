"""O transmissor (SIOPSNET): assinatura ICP-Brasil (A1 e A3), envio, recibos e homologação.

O núcleo deste pacote não importa Qt; a janela fica em ``transmissor.gui``. O servidor
importa ``certificados``, ``icp_teste``, ``xmldsig`` e ``assinador`` (docs/contratos.md).
"""
