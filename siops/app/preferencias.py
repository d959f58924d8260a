"""Where the client keeps its own small state: the recent-files list and the autosave journals.

Nothing here imports Qt, so the journal and the recent list are testable alone. The folder is
the user's data folder (platformdirs), or ``$SIOPS_DADOS`` when set (tests, the demo, a
portable install); with only ``$SIOPS_HOME`` set it lives inside it, so a demo in a temporary
``SIOPS_HOME`` never touches the real user's recent files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MAX_RECENTES = 10


def pasta_dados() -> Path:
    """The client's data folder (created on demand)."""
    if os.environ.get("SIOPS_DADOS"):
        p = Path(os.environ["SIOPS_DADOS"])
    elif os.environ.get("SIOPS_HOME"):
        p = Path(os.environ["SIOPS_HOME"]) / ".cliente"
    else:
        from platformdirs import user_data_dir

        p = Path(user_data_dir("siops-desktop", appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p


def _arquivo_recentes() -> Path:
    return pasta_dados() / "recentes.json"


def recentes() -> list[Path]:
    """Recently opened declarations, most recent first, only those that still exist."""
    try:
        dados = json.loads(_arquivo_recentes().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(dados, list):
        return []
    return [Path(x) for x in dados if isinstance(x, str) and Path(x).is_file()]


def lembrar(caminho: Path) -> None:
    """Put a file at the top of the recent list (best effort: a failure is not the user's)."""
    caminho = Path(caminho).resolve()
    lista = [p for p in recentes() if p.resolve() != caminho]
    lista.insert(0, caminho)
    try:
        destino = _arquivo_recentes()
        tmp = destino.with_suffix(".tmp")
        tmp.write_text(
            json.dumps([str(p) for p in lista[:MAX_RECENTES]], ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(tmp, destino)
    except OSError:
        pass
