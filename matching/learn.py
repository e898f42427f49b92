"""The learned scoring stage: weights fitted on placement outcomes, used only when they help."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit


class OutcomeModel:
    """Logistic regression over the ranker's feature vector, gated against the hand weights.

    The learned weights replace the hand-set ones only when there are at least
    ``min_outcomes`` outcomes with both kinds present and, on outcomes of held-out people,
    the learned score ranks placements above failures better (ROC AUC) by ``margin``.
    A linear model keeps scoring a single matrix-vector product.
    """

    def __init__(
        self,
        min_outcomes: int = 60,
        margin: float = 0.01,
        test_size: float = 0.3,
        C: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.min_outcomes = min_outcomes
        self.margin = margin
        self.test_size = test_size
        self.C = C
        self.random_state = random_state

    def fit(
        self, X: np.ndarray, y: np.ndarray, groups: np.ndarray, hand_weights: np.ndarray
    ) -> OutcomeModel:
        """Decide whether to use learned weights; sets ``used_``, ``weights_``, ``report_``."""
        self.used_ = False
        self.weights_ = np.asarray(hand_weights, dtype=np.float64)
        report: dict[str, Any] = {"n_outcomes": len(y), "n_positive": int(np.sum(y)), "used": False}
        self.report_ = report
        if len(y) < self.min_outcomes:
            report["reason"] = f"too few outcomes ({len(y)} < {self.min_outcomes})"
            return self
        if len(set(y.tolist())) < 2:
            report["reason"] = "outcomes of only one kind"
            return self
        split = GroupShuffleSplit(
            n_splits=1, test_size=self.test_size, random_state=self.random_state
        )
        train, test = next(split.split(X, y, groups))
        if len(set(y[test].tolist())) < 2 or len(set(y[train].tolist())) < 2:
            report["reason"] = "held-out outcomes of only one kind"
            return self
        model = LogisticRegression(C=self.C, max_iter=1000).fit(X[train], y[train])
        auc_hand = float(roc_auc_score(y[test], X[test] @ hand_weights))
        auc_learned = float(roc_auc_score(y[test], model.decision_function(X[test])))
        report.update(auc_hand=auc_hand, auc_learned=auc_learned)
        if auc_learned < auc_hand + self.margin:
            report["reason"] = "learned weights do not beat the hand-set weights on held-out people"
            return self
        final = LogisticRegression(C=self.C, max_iter=1000).fit(X, y)
        self.weights_ = final.coef_.ravel().astype(np.float64)
        self.used_ = True
        report["used"] = True
        report["reason"] = "learned weights beat the hand-set weights on held-out people"
        return self
