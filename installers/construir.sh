#!/bin/sh
# Build congelado do cliente (Linux) a partir das dependências fixadas por hash:
#   installers/construir.sh [PASTA_VENV] [PASTA_DIST]
# Cria um ambiente novo, instala nele SÓ o que está em requisitos-congelado.txt, cada arquivo
# conferido pelo SHA-256 (--require-hashes: um pacote trocado no índice, ou um que falte no
# arquivo, para a instalação), depois o próprio siops-desktop sem dependências e sem
# isolamento (o setuptools e o wheel fixados acima o montam), e roda o PyInstaller desse
# ambiente com installers/siops.spec. Para mudar versões: installers/regenerar-requisitos.sh.
# O arquivo é resolvido para a plataforma em que foi gerado (o pip-compile não resolve para
# outra): o build do Windows gera o seu com o mesmo comando, no Windows.
set -eu
RAIZ="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${1:-$RAIZ/build/venv-congelado}"
DIST="${2:-$RAIZ/dist}"
PY="${PYTHON:-python3}"
"$PY" -m venv --clear "$VENV"
"$VENV/bin/python" -m pip install --quiet --require-hashes --no-deps \
    -r "$RAIZ/installers/requisitos-congelado.txt"
"$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation "$RAIZ"
"$VENV/bin/python" -m pip check
cd "$RAIZ"
exec "$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$DIST" \
    --workpath "$VENV/../work-congelado" installers/siops.spec
