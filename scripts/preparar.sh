#!/usr/bin/env bash
# Prepara o ambiente numa máquina Debian nova: pacotes do sistema (quando root), o ambiente
# virtual .venv e as dependências do pyproject.toml. Pode ser executado quantas vezes quiser.
set -euo pipefail
cd "$(dirname "$0")/.."

PACOTES_DEBIAN=(
  python3-venv softhsm2 xmlsec1 poppler-utils xvfb xauth
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
  postgresql
)

faltando=()
for p in "${PACOTES_DEBIAN[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || faltando+=("$p")
done
if ((${#faltando[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "Instalando pacotes do sistema: ${faltando[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${faltando[@]}" >/dev/null
  else
    echo "Aviso: faltam pacotes do sistema (${faltando[*]})." >&2
    echo "       Peça ao administrador: sudo apt-get install ${faltando[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Criando o ambiente virtual .venv" >&2
  "$PY" -m venv .venv
fi
carimbo=.venv/.siops-instalado
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$carimbo" ] || [ "$(cat "$carimbo")" != "$hash" ]; then
  echo "Instalando as dependências Python (pip)" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[cliente,servidor,dev]"
  echo "$hash" > "$carimbo"
fi
