"""Models come from pip packages or local folders, never from the Hugging Face hub."""

from __future__ import annotations

import os


def hub_offline() -> None:
    """Make huggingface_hub (and so transformers) refuse every network call.

    Call it before the first `import transformers` / `import huggingface_hub` of the process: the
    hub library reads HF_HUB_OFFLINE once, when it is imported.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
