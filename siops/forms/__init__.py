"""The declaration core: the form catalog, the ``Declaracao`` model and its formula engine.

No Qt here (ARCHITECTURE): the CLI, the server and the client all use this package.
"""
