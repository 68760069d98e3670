"""Pipeline steps, trees and methodologies against hand-computed values (no database)."""

from __future__ import annotations

import unittest

import numpy as np

from kechuang.indicators.logic.methodology import Methodology, Normalise, Treat, parse
from kechuang.indicators.logic.pipeline import (
    FLAG_LOG,
    FLAG_WIN_HIGH,
    Panel,
    aggregate,
    impute,
    normalise,
    rank_changes_on_rounding,
    rank_desc,
    run,
    treat_column,
)
from kechuang.indicators.logic.sensitivity import noisy_weights, rank_gap, remove_one
from kechuang.indicators.logic.tree import Node, Tree


def _tree(targets=(None, None, None)) -> Tree:
    """a, b → P (weight 2); c → Q (weight 1); P, Q → Index."""
    return Tree(
        {
            "a": Node("a", "P", 1.0, target=targets[0]),
            "b": Node("b", "P", 3.0, direction=-1, target=targets[1]),
            "c": Node("c", "Q", 1.0, target=targets[2]),
            "P": Node("P", "Index", 2.0),
            "Q": Node("Q", "Index", 1.0),
            "Index": Node("Index", None),
        }
    )


class TreeTests(unittest.TestCase):
    def test_levels_and_effective_weights(self):
        t = _tree()
        self.assertEqual(t.levels, [["a", "b", "c"], ["P", "Q"], ["Index"]])
        eff = t.effective_weights()
        self.assertAlmostEqual(eff["a"], 2 / 3 * 1 / 4)
        self.assertAlmostEqual(eff["b"], 2 / 3 * 3 / 4)
        self.assertAlmostEqual(eff["c"], 1 / 3)
        self.assertAlmostEqual(sum(eff[c] for c in t.indicators), 1.0)

    def test_any_depth(self):
        nodes = {"x": Node("x", "L2"), "y": Node("y", "L2"), "L2": Node("L2", "L3"),
                 "L3": Node("L3", "L4"), "L4": Node("L4", None)}  # fmt: skip
        self.assertEqual(len(Tree(nodes).levels), 4)

    def test_invalid_trees(self):
        with self.assertRaisesRegex(ValueError, "different levels"):
            Tree({"a": Node("a", "R"), "b": Node("b", "P"), "P": Node("P", "R"),
                  "R": Node("R", None)})  # fmt: skip
        with self.assertRaisesRegex(ValueError, "unknown parent"):
            Tree({"a": Node("a", "X"), "R": Node("R", None)})
        with self.assertRaisesRegex(ValueError, "exactly one root"):
            Tree({"a": Node("a", None), "R": Node("R", None)})

    def test_without_drops_empty_aggregates(self):
        t = _tree().without(["c"])
        self.assertEqual(t.levels, [["a", "b"], ["P"], ["Index"]])

    def test_from_meta_with_aggregate_weight_rows(self):
        rows = [
            {"iCode": "a", "iName": "A", "direction": "1", "weight": "1", "pillar": "P"},
            {"iCode": "b", "iName": "B", "direction": "-1", "weight": "2", "pillar": "Q"},
            {"iCode": "Q", "iName": "Pillar Q", "weight": "3"},
        ]
        t = Tree.from_meta(rows, ["pillar"])
        self.assertEqual(t.nodes["Q"].weight, 3.0)
        self.assertEqual(t.nodes["b"].direction, -1)
        self.assertAlmostEqual(t.effective_weights()["b"], 0.75)


class MethodologyTests(unittest.TestCase):
    def test_round_trip_and_fingerprint(self):
        m = Methodology(code="x", impute=parse({"impute": {"method": "none"}}).impute)
        again = parse(m.to_dict())
        self.assertEqual(again, m)
        renamed = parse({**m.to_dict(), "name": "other", "version": 2})
        self.assertEqual(renamed.fingerprint(), m.fingerprint())
        changed = parse({**m.to_dict(), "normalise": {"method": "z_score"}})
        self.assertNotEqual(changed.fingerprint(), m.fingerprint())

    def test_rejections_name_the_field(self):
        for raw, field in [
            ({"normalise": {"method": "cube"}}, "normalise.method"),
            ({"impute": {"method": "group_mean"}}, "impute.group"),
            ({"screen": {"min_availability": 2}}, "screen.min_availability"),
            ({"aggregate": {"levels": ["geometric"]}}, "aggregate.levels"),
            ({"normalise": {"method": "min_max", "low": 5, "high": 1}}, "normalise.high"),
            ({"treat": {"nope": 1}}, "treat"),
            ({"weights": {"a": -1}}, "weights"),
            ("{", "JSON"),
        ]:
            with self.assertRaisesRegex(ValueError, field):
                parse(raw)

    def test_geometric_allowed_on_a_positive_interval(self):
        m = parse({"normalise": {"method": "min_max", "low": 1, "high": 100},
                   "aggregate": {"levels": ["geometric", "harmonic"]}})  # fmt: skip
        self.assertEqual(m.aggregation_for(1), "geometric")
        self.assertEqual(m.aggregation_for(5), "harmonic")


class StepTests(unittest.TestCase):
    def test_group_mean_per_year_and_unit_mean_over_time(self):
        values = np.array([[1.0], [np.nan], [3.0], [10.0], [np.nan], [30.0]])
        panel = Panel(
            units=np.array(["u", "v", "w", "u", "v", "w"], dtype=object),
            values=values,
            indicators=["a"],
            years=np.array([1, 1, 1, 2, 2, 2]),
            groups={"g": np.array(["x"] * 6, dtype=object)},
        )
        by_group = impute(values, parse({"impute": {"method": "group_mean", "group": "g"}}), panel)
        self.assertEqual(by_group[:, 0].tolist(), [1, 2, 3, 10, 20, 30])
        v = np.array([[1.0], [5.0], [3.0], [np.nan], [7.0], [30.0]])
        over_time = impute(v, parse({"impute": {"method": "unit_mean_over_time"}}), panel)
        self.assertEqual(over_time[3, 0], 1.0)

    def test_winsorise_then_log(self):
        x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
        out, flags = treat_column(x, Treat("winsorise_log", winmax=2))
        # 100 → 30 (the next highest) and the column passes: one point winsorised
        self.assertEqual(out[-2:].tolist(), [30.0, 30.0])
        self.assertEqual(flags[-2:].tolist(), [0, FLAG_WIN_HIGH])
        tied = np.array([*range(1, 21), 500.0, 500.0])
        out, flags = treat_column(tied, Treat("winsorise_log", winmax=5))
        self.assertEqual(out[-3:].tolist(), [20.0, 20.0, 20.0])  # the tied 500s move together
        self.assertEqual(flags[-3:].tolist(), [0, FLAG_WIN_HIGH, FLAG_WIN_HIGH])
        heavy = np.array([0.0] * 20 + [1, 2, 1000, 2000, 5000], dtype=float)
        out, flags = treat_column(heavy, Treat("winsorise_log", winmax=1))
        self.assertTrue((flags == FLAG_LOG).all())
        self.assertAlmostEqual(out[0], np.log(0.01 * 5000))

    def test_normalisations(self):
        t = _tree(targets=(10.0, 2.0, 4.0))
        x = np.array([[0.0, 1.0, 2.0], [5.0, 2.0, 4.0], [20.0, 4.0, 8.0]])
        years = np.zeros(3, dtype=int)
        mm = normalise(x, t, Normalise("min_max", low=1, high=10), years)
        self.assertEqual(mm[:, 0].tolist(), [1.0, 3.25, 10.0])
        self.assertEqual(mm[:, 1].tolist(), [10.0, 7.0, 1.0])  # lower is better
        z = normalise(x, t, Normalise("z_score", ddof=0), years)
        self.assertAlmostEqual(float(z[:, 2].std()), 1.0)
        share = normalise(x, t, Normalise("target_share"), years)
        self.assertEqual(share[:, 0].tolist(), [0.0, 0.5, 1.0])
        self.assertEqual(share[:, 1].tolist(), [1.0, 1.0, 0.5])  # target 2, at most
        dist = normalise(x, t, Normalise("target_distance", cap=False), years)
        # COINr n_dist2targ: 1 − (target − x)/(target − min)
        self.assertEqual(dist[:, 0].tolist(), [0.0, 0.5, 2.0])
        pr = normalise(x, t, Normalise("percentile_rank"), years)
        self.assertEqual(pr[:, 2].tolist(), [0.0, 0.5, 1.0])

    def test_across_years_pools_bounds(self):
        t = Tree({"a": Node("a", "R"), "R": Node("R", None)})
        x = np.array([[0.0], [10.0], [5.0], [20.0]])
        years = np.array([1, 1, 2, 2])
        per_year = normalise(x, t, Normalise("min_max"), years)
        pooled = normalise(x, t, Normalise("min_max", across_years=True), years)
        self.assertEqual(per_year[:, 0].tolist(), [0, 100, 0, 100])
        self.assertEqual(pooled[:, 0].tolist(), [0, 50, 25, 100])

    def test_aggregations_with_missing_values(self):
        s = np.array([[10.0, 40.0], [np.nan, 40.0], [np.nan, np.nan]])
        w = np.array([[1.0], [3.0]])
        self.assertEqual(aggregate(s, w, "arithmetic")[:2, 0].tolist(), [32.5, 40.0])
        self.assertTrue(np.isnan(aggregate(s, w, "arithmetic")[2, 0]))
        self.assertAlmostEqual(aggregate(s, w, "geometric")[0, 0], 10**0.25 * 40**0.75)
        self.assertAlmostEqual(aggregate(s, w, "harmonic")[0, 0], 4 / (1 / 10 + 3 / 40))
        with self.assertRaisesRegex(ValueError, "positive"):
            aggregate(np.array([[0.0, 1.0]]), w, "geometric")

    def test_ranks(self):
        self.assertEqual(rank_desc(np.array([5.0, 7.0, 7.0, np.nan, 1.0]))[[0, 1, 2, 4]].tolist(),
                         [3, 1, 1, 4])  # fmt: skip


class RunTests(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(1)
        self.tree = _tree()
        self.panel = Panel(
            units=np.array([f"u{i}" for i in range(30)], dtype=object),
            values=rng.lognormal(0, 1, (30, 3)),
            indicators=["a", "b", "c"],
        )

    def test_run_scores_and_screening(self):
        values = self.panel.values.copy()
        values[0, :2] = np.nan
        panel = Panel(units=self.panel.units, values=values, indicators=["a", "b", "c"])
        r = run(self.tree, parse({"screen": {"min_availability": 0.5}}), panel)
        self.assertEqual(len(r.units), 29)
        header, rows = r.table()
        self.assertEqual(header, ["uCode", "P_score", "P_rank", "Q_score", "Q_rank",
                                  "Index_score", "Index_rank"])  # fmt: skip
        self.assertEqual(sorted(row[-1] for row in rows), list(range(1, 30)))

    def test_negative_values_are_data(self):
        values = self.panel.values.copy()
        values[:, 2] -= 2.0  # e.g. GDP growth
        panel = Panel(units=self.panel.units, values=values, indicators=["a", "b", "c"])
        r = run(self.tree, Methodology(), panel)
        self.assertFalse(np.isnan(r.score("Index")).any())

    def test_rank_gap_sums_to_the_index_difference(self):
        r = run(self.tree, Methodology(), self.panel)
        gap = rank_gap(r, 0, 1)
        self.assertAlmostEqual(sum(gap.values()), r.score("Index")[0] - r.score("Index")[1])

    def test_remove_one_changes_ranks(self):
        r = run(self.tree, Methodology(), self.panel)
        impact = remove_one(r)
        self.assertEqual(set(impact), {"a", "b", "c"})
        self.assertGreater(np.abs(impact["c"]).sum(), 0)

    def test_noise_scale_does_not_grow_with_the_number_of_weights(self):
        wide = Tree({**{f"i{k}": Node(f"i{k}", "R") for k in range(49)}, "R": Node("R", None)})
        sets = noisy_weights(wide, np.random.default_rng(0), 2000)
        w = np.array([[s[f"i{k}"] for k in range(49)] for s in sets])
        share = w / w.sum(axis=1, keepdims=True)
        cv = share.std(axis=0).mean() / share.mean()
        self.assertLess(cv, 0.16)  # ≈ 0.25/√3; a Dirichlet(50·w) gives ≈ 0.97
        self.assertGreater(cv, 0.12)

    def test_rounding_check_counts_rank_changes(self):
        values = self.panel.values * 1e-5  # tiny ratios: 4 decimals wipe them out
        panel = Panel(units=self.panel.units, values=values, indicators=["a", "b", "c"])
        self.assertGreater(rank_changes_on_rounding(self.tree, Methodology(), panel, 4), 0)
        self.assertEqual(rank_changes_on_rounding(self.tree, Methodology(), panel, 15), 0)
        # each indicator to its own decimals: only a rounded column can move a rank
        self.assertEqual(rank_changes_on_rounding(self.tree, Methodology(), panel, [15] * 3), 0)
        self.assertGreater(
            rank_changes_on_rounding(self.tree, Methodology(), panel, [15, 15, 4]), 0
        )


class FlatSensitivityTests(unittest.TestCase):
    def test_noise_rule_keeps_each_weight_near_its_value(self):
        from kechuang.indicators.logic.compute import rank_intervals, sensitivity_draws

        rng = np.random.default_rng(5)
        m = rng.lognormal(0, 1, (30, 49))
        w = np.ones(49)
        dirichlet = rank_intervals(sensitivity_draws(m, [1] * 49, w, draws=300))
        noisy = rank_intervals(sensitivity_draws(m, [1] * 49, w, draws=300, noise=0.25))
        # the COINr-style rule gives narrower rank intervals than Dirichlet(50·w) on 49 weights
        self.assertLess((noisy.high - noisy.low).mean(), (dirichlet.high - dirichlet.low).mean())
