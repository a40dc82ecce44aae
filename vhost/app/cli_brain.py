"""`vhost ask "QUESTION"`: answer one question as the host would, then print a JSON verdict.

    vhost ask "how much is the mug?" [--catalog FILE] [--product ID] [--persona FILE]
              [--model NAME] [--user NAME] [--openai-url URL --openai-model NAME]

Prints the reply, then one JSON line:
{"reply", "lang", "path": "faq|llm", "grounded", "corrections", "compliance": {"ok", "reasons"},
 "product", "held", "emotion"}.
The LLM is loaded in this process only when the catalog facts leave something to phrase.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from vhost.brain.answerer import Answerer
from vhost.brain.catalog import CatalogError, load_catalog
from vhost.brain.embedding import default_embedder
from vhost.brain.persona import PersonaError, load_persona
from vhost.speech.answer import Answer, Brain, EngineLLM


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="answer one viewer question (FAQ or LLM, checked) and print JSON")
    p.add_argument("question")
    p.add_argument("--catalog", help="catalog file (.toml, .json or .csv); default: the demo's")
    p.add_argument("--product", help="product on screen (id); default: the first")
    p.add_argument("--persona", help="persona TOML; default: the demo's")
    p.add_argument("--model", help="LLM: manifest name, GGUF file or Hugging Face model folder")
    p.add_argument("--config", help="TOML config (for defaults: catalog, persona, model)")
    p.add_argument("--user", default="viewer", help="the viewer's name")
    p.add_argument("--openai-url", help="an OpenAI-compatible server (e.g. http://host:8000/v1)")
    p.add_argument("--openai-model", help="model name on that server")
    p.set_defaults(func=cmd_ask)


def _llm(args: argparse.Namespace, model: str, temperature: float):
    if args.openai_url:
        from vhost.brain.openai_client import OpenAIChatClient

        return OpenAIChatClient(args.openai_url, args.openai_model or model,
                                temperature=temperature)
    from vhost.brain.llm_engine import LLMEngine

    print(f"loading {model}…", file=sys.stderr)
    return EngineLLM(LLMEngine(model), temperature=temperature)


async def _answer(args: argparse.Namespace) -> Answer:
    from vhost.config.settings import load_config

    cfg = load_config(args.config)
    catalog = load_catalog(Path(args.catalog) if args.catalog else cfg.show.catalog)
    persona = load_persona(Path(args.persona) if args.persona else cfg.show.persona)
    product_id = args.product or cfg.show.product
    if product_id and product_id not in catalog:
        raise CatalogError(f"unknown product '{product_id}' (known: {', '.join(catalog.ids)})")
    answerer = Answerer(catalog, default_embedder())
    product = catalog.get(product_id) if product_id else catalog.products[0]
    d = answerer.decide(args.question, [], product)
    # The model is loaded only when the facts leave something to phrase: small talk, or a fact
    # the catalog has only in another language.
    needs_llm = d.kind == "chat" or (d.kind == "fact" and not d.text)
    llm = _llm(args, args.model or cfg.llm.model, cfg.llm.temperature) if needs_llm else None
    brain = Brain(catalog, persona, llm, product_id=product.id, answerer=answerer,
                  max_new_tokens=cfg.llm.max_new_tokens)
    try:
        return await brain.ask(args.question, user=args.user)
    finally:
        if llm is not None and hasattr(llm, "aclose"):
            await llm.aclose()


def cmd_ask(args: argparse.Namespace) -> int:
    try:
        answer = asyncio.run(_answer(args))
    except (CatalogError, PersonaError) as exc:
        print(f"vhost ask: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a model or server problem: say it plainly, no traceback
        print(f"vhost ask: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(answer.reply)
    print(json.dumps(answer.as_json(), ensure_ascii=False))
    return 0
