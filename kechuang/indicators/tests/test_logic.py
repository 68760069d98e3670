"""The index engine against hand-computed values (no database)."""

import unittest

import numpy as np

from kechuang.indicators.logic.compute import (
    arithmetic,
    composite_index,
    contributions,
    distance_to_target,
    geometric,
    min_max,
    normalise,
    rank_intervals,
    ranks,
    sensitivity_draws,
    to_positive,
    z_score,
)
from kechuang.indicators.logic.peers import place_home


class NormalisationTests(unittest.TestCase):
    def test_min_max(self):
        np.testing.assert_allclose(min_max([2, 4, 6, 10]), [0, 0.25, 0.5, 1])

    def test_min_max_lower_is_better(self):
        np.testing.assert_allclose(min_max([2, 4, 6, 10], -1), [1, 0.75, 0.5, 0])

    def test_min_max_constant_column(self):
        np.testing.assert_allclose(min_max([3, 3, 3]), [0.5, 0.5, 0.5])

    def test_z_score(self):
        # mean 5, population sd sqrt(((−3)² + (−1)² + 1² + 3²)/4) = sqrt(5)
        s5 = 5**0.5
        np.testing.assert_allclose(z_score([2, 4, 6, 8]), [-3 / s5, -1 / s5, 1 / s5, 3 / s5])
        np.testing.assert_allclose(z_score([2, 4, 6, 8], -1), [3 / s5, 1 / s5, -1 / s5, -3 / s5])

    def test_z_score_constant_column(self):
        np.testing.assert_allclose(z_score([7, 7]), [0, 0])

    def test_distance_to_target(self):
        np.testing.assert_allclose(distance_to_target([1.73, 3.46, 5.0], 3.46), [0.5, 1, 1])

    def test_distance_to_target_lower_is_better(self):
        np.testing.assert_allclose(distance_to_target([5, 10, 20, 0], 10, -1), [1, 1, 0.5, 1])

    def test_distance_to_target_needs_a_positive_target(self):
        with self.assertRaises(ValueError):
            distance_to_target([1, 2], 0)

    def test_normalise_columns(self):
        m = np.array([[1.0, 10.0], [3.0, 20.0]])
        np.testing.assert_allclose(normalise(m, [1, -1], "min_max"), [[0, 1], [1, 0]])

    def test_unknown_method(self):
        with self.assertRaises(ValueError):
            normalise(np.ones((2, 1)), [1], "rank")


class AggregationTests(unittest.TestCase):
    def test_arithmetic_rescales_weights(self):
        # weights 2:1:1 → 0.5, 0.25, 0.25
        np.testing.assert_allclose(arithmetic(np.array([[1.0, 0.0, 0.5]]), [2, 1, 1]), [0.625])

    def test_geometric(self):
        # 4^0.5 · 9^0.5 = 6
        np.testing.assert_allclose(geometric(np.array([[4.0, 9.0]]), [1, 1]), [6.0])
        # 8^(2/3) · 1^(1/3) = 4
        np.testing.assert_allclose(geometric(np.array([[8.0, 1.0]]), [2, 1]), [4.0])

    def test_geometric_refuses_zero(self):
        with self.assertRaises(ValueError):
            geometric(np.array([[0.0, 1.0]]), [1, 1])

    def test_to_positive(self):
        np.testing.assert_allclose(to_positive(np.array([0.0, 1.0]), "min_max"), [1, 100])
        np.testing.assert_allclose(to_positive(np.array([-1.0, -20.0]), "z_score"), [90, 1])

    def test_contributions_sum_to_distance_from_average(self):
        scores = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
        c = contributions(scores, [3, 1], "arithmetic")
        # means 0.5, 0.5; region 0: 0.75·0.5 + 0.25·(−0.5) = 0.25
        np.testing.assert_allclose(c[0], [0.375, -0.125])
        index = arithmetic(scores, [3, 1])
        np.testing.assert_allclose(c.sum(axis=1), index - index.mean())

    def test_ranks_share_ties(self):
        np.testing.assert_array_equal(ranks([5, 9, 5, 1]), [2, 1, 2, 4])

    def test_composite_index_min_max_arithmetic(self):
        m = np.array([[1.0, 30.0], [2.0, 10.0], [3.0, 20.0]])
        r = composite_index(m, [1, 1], [1, 1])
        # scores: [0, 1], [0.5, 0], [1, 0.5] → 50, 25, 75
        np.testing.assert_allclose(r.index, [50, 25, 75])
        np.testing.assert_array_equal(r.ranks, [2, 3, 1])

    def test_composite_index_geometric(self):
        m = np.array([[1.0, 30.0], [2.0, 10.0], [3.0, 20.0]])
        r = composite_index(m, [1, 1], [1, 1], aggregation="geometric")
        # scores on 1..100: [1, 100], [50.5, 1], [100, 50.5]
        np.testing.assert_allclose(r.index, [10.0, 50.5**0.5, (100 * 50.5) ** 0.5])

    def test_composite_index_distance_to_target(self):
        m = np.array([[1.0], [4.0]])
        r = composite_index(m, [1], [1], normalisation="distance_to_target", targets=[2.0])
        np.testing.assert_allclose(r.index, [50, 100])


class SensitivityTests(unittest.TestCase):
    m = np.random.default_rng(1).uniform(1, 10, (12, 4))

    def test_same_seed_same_draws(self):
        a = sensitivity_draws(self.m, [1] * 4, [1, 2, 3, 4], draws=50, seed=7)
        b = sensitivity_draws(self.m, [1] * 4, [1, 2, 3, 4], draws=50, seed=7)
        np.testing.assert_array_equal(a, b)
        c = sensitivity_draws(self.m, [1] * 4, [1, 2, 3, 4], draws=50, seed=8)
        self.assertFalse(np.array_equal(a, c))

    def test_interval_contains_median(self):
        d = sensitivity_draws(self.m, [1] * 4, [1, 1, 1, 1], draws=200)
        s = rank_intervals(d)
        self.assertTrue((s.low <= s.median).all() and (s.median <= s.high).all())
        sub = rank_intervals(d, [True] * 3 + [False] * 9)
        self.assertEqual(sub.draw_ranks.shape, (200, 3))
        self.assertTrue((sub.high <= 3).all())

    def test_dominant_region_is_always_first(self):
        m = np.vstack([self.m, np.full(4, 100.0)])
        s = rank_intervals(sensitivity_draws(m, [1] * 4, [1, 1, 1, 1], draws=100))
        self.assertEqual((s.low[-1], s.high[-1]), (1, 1))


class PeerPlacementTests(unittest.TestCase):
    def test_home_lands_at_the_wanted_ranks(self):
        city = np.zeros(40, dtype=bool)
        city[:6] = True
        home = [3.36, 74.2, 994]
        peers = place_home(home, [1, 1, 1], [2, 1, 1], in_city=city, rank_province=7,
                           rank_city=2, rng=np.random.default_rng(3), caps=[None, 100, None],
                           decimals=[2, 1, 0])  # fmt: skip
        r = composite_index(np.vstack([home, peers]), [1, 1, 1], [2, 1, 1])
        self.assertEqual(r.ranks[0], 7)
        self.assertEqual(ranks(r.index[np.r_[True, city]])[0], 2)
        self.assertTrue((peers[:, 1] < 100).all())

    def test_bounded_peers_stay_plausible_and_the_ranks_still_hold(self):
        """An R&D intensity of 41.51 % or a fiscal S&T share of 40 % is not a Zhejiang county:
        with bounds every peer value stays inside them, however far it had to be nudged."""
        city = np.zeros(89, dtype=bool)
        city[:9] = True
        home = [3.36, 74.2, 6.85]
        bounds = [(1.5, 5.0), (35.0, 95.0), (2.0, 12.0)]
        for rank_province, rank_city, seed in ((7, 1, 1), (11, 2, 2), (2, 1, 3), (80, 9, 4)):
            with self.subTest(rank=rank_province):
                peers = place_home(home, [1, 1, 1], [2, 1, 1], in_city=city,
                                   rank_province=rank_province, rank_city=rank_city,
                                   rng=np.random.default_rng(seed), decimals=[2, 1, 2],
                                   caps=[100, 100, 100], bounds=bounds)  # fmt: skip
                r = composite_index(np.vstack([home, peers]), [1, 1, 1], [2, 1, 1])
                self.assertEqual(r.ranks[0], rank_province)
                self.assertEqual(ranks(r.index[np.r_[True, city]])[0], rank_city)
                for j, (low, high) in enumerate(bounds):
                    self.assertGreaterEqual(peers[:, j].min(), low)
                    self.assertLessEqual(peers[:, j].max(), high)
