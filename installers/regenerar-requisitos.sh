#!/bin/sh
# Regenera installers/requisitos-congelado.txt: as dependências do build congelado do cliente
# (siops-desktop[cliente] + PyInstaller), cada uma numa versão exata e com os SHA-256 de todos
# os arquivos publicados dela (Windows, Linux, macOS), para `pip install --require-hashes`.
# Rode da raiz do repositório, com a .venv de desenvolvimento (pip-tools vem no extra [dev]),
# depois de mudar as dependências no pyproject.toml ou para atualizar versões (-U/-P NOME).
# Revise o diff: uma versão ou um hash novo é código de terceiros novo no instalador.
set -eu
cd "$(dirname "$0")/.."
CUSTOM_COMPILE_COMMAND="installers/regenerar-requisitos.sh" exec .venv/bin/pip-compile \
    --generate-hashes --allow-unsafe --strip-extras \
    --extra cliente \
    --no-emit-index-url --no-emit-find-links \
    --output-file installers/requisitos-congelado.txt \
    "$@" \
    pyproject.toml installers/requisitos-congelado.in
