"""Stored dense vectors (docs/matching.md#stored-vectors): computed after a save, re-encoded
after an edit, gone with the record, loaded by the index instead of encoding again, and
backfilled in bulk. These run the real bundled encoder (a few short texts)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.campaigns.tests.factories import make_world
from kechuang.cooperation import matching, services
from kechuang.cooperation.models import Achievement, MatchVector
from kechuang.matching.dense import unpack

from .factories import make_achievements, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dense(settings):
    settings.KECHUANG_MATCHING_DENSE = True
    eng = matching.engine()
    if eng.encoder is None:
        pytest.fail(f"the bundled encoder did not load: {eng.notice}")
    return eng


@pytest.fixture
def world(dense, django_capture_on_commit_callbacks):
    w = make_world()
    w.org = make_organisation()
    with django_capture_on_commit_callbacks(execute=True):
        w.achievements = make_achievements(w.staff, w.org)
    return w


def _vector(achievement: Achievement) -> MatchVector:
    return MatchVector.objects.get(achievement=achievement)


def _doc(achievement: Achievement):
    row = [getattr(achievement, c) for c in ("pk", "title", "summary", "keywords", "field")]
    return matching._achievement_doc(row)


def test_a_saved_record_gets_its_vector_and_the_index_uses_it(world, dense, monkeypatch):
    bolt = world.achievements[0]
    stored = _vector(bolt)
    assert stored.fingerprint == dense.fingerprint(_doc(bolt))
    assert np.allclose(unpack([stored.vector])[0], dense.encode([_doc(bolt)])[0], atol=2e-3)
    dense.remove([f"A{a.pk}" for a in world.achievements])
    matching._state()["seen"].clear()
    matching._state().pop("signature", None)  # the index starts again from the database

    def no_encoding(*args, **kwargs):
        raise AssertionError("the index encoded a record whose vector is stored")

    monkeypatch.setattr(dense, "encode", no_encoding)  # the index must load, not encode
    hits = matching.search("镀锌以后的螺栓放几天就断了")
    assert hits and hits[0].pk == bolt.pk
    assert hits[0].components["cosine"] > 0.5


def test_an_edit_re_encodes_and_a_delete_removes(world, dense, django_capture_on_commit_callbacks):
    motor = world.achievements[1]
    before = _vector(motor)
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_save(
            user=world.staff,
            instance=motor,
            data={"summary": "锂电池极片涂布厚度在线检测，提高电芯一致性。", "field": "新能源"},
        )
    after = _vector(motor)
    assert after.fingerprint != before.fingerprint and bytes(after.vector) != bytes(before.vector)
    assert matching.search("电池极片涂布不均匀")[0].pk == motor.pk
    motor.delete()
    assert not MatchVector.objects.filter(achievement_id=motor.pk).exists()
    assert motor.pk not in {h.pk for h in matching.search("电池极片涂布不均匀")}


def test_backfill_encodes_only_what_changed_in_a_constant_number_of_queries(dense, world):
    Achievement.objects.bulk_create(  # no post_save: nothing encoded yet
        Achievement(organisation=world.org, title=f"注塑件缩痕控制方法{i}", summary="保压曲线优化")
        for i in range(9)
    )
    assert MatchVector.objects.count() == 3
    with CaptureQueriesContext(connection) as queries:
        done = matching.vectors_refresh(chunk=4)
    assert done == {"records": 12, "encoded": 9}
    # texts (2) + per chunk of 4: stored vectors (1) and at most one upsert (1); savepoints aside
    real = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(real) <= 2 + 2 * 3
    assert MatchVector.objects.count() == 12
    assert matching.vectors_refresh() == {"records": 12, "encoded": 0}


def test_an_unchanged_index_costs_two_aggregate_queries(django_assert_num_queries):
    staff = make_world().staff
    achievements = make_achievements(staff, make_organisation())  # lexical engine here
    matching.search("螺栓镀锌后断裂")
    with django_assert_num_queries(2):
        assert matching.search("螺栓镀锌后断裂")[0].pk == achievements[0].pk
    Achievement.objects.filter(pk=achievements[0].pk).update(active=False)  # no save signal
    assert achievements[0].pk not in {h.pk for h in matching.search("螺栓镀锌后断裂")}


def test_a_vector_file_carries_vectors_to_another_database_for_the_same_texts_only(
    world, dense, tmp_path, monkeypatch
):
    path = tmp_path / "vectors.npz"
    assert matching.vectors_export(path) == 3
    before = {v.achievement_id: bytes(v.vector) for v in MatchVector.objects.all()}
    MatchVector.objects.all().delete()
    edited = world.achievements[2]
    Achievement.objects.filter(pk=edited.pk).update(summary="换了一段文字")  # another text

    def no_encoding(*args, **kwargs):
        raise AssertionError("importing a vector file encodes nothing")

    monkeypatch.setattr(dense, "encode", no_encoding)
    assert matching.vectors_import(path) == {"records": 3, "imported": 2}
    after = {v.achievement_id: bytes(v.vector) for v in MatchVector.objects.all()}
    assert after == {pk: blob for pk, blob in before.items() if pk != edited.pk}
    assert matching.vectors_import(path) == {"records": 3, "imported": 0}  # already there


def test_match_index_imports_then_encodes_the_rest_and_rejects_a_file_that_is_not_one(
    world, dense, tmp_path
):
    from django.core.management import CommandError, call_command

    path = tmp_path / "vectors.npz"
    call_command("match_index", "--export", str(path), stdout=io.StringIO())
    MatchVector.objects.filter(achievement=world.achievements[0]).delete()
    out = io.StringIO()
    call_command("match_index", "--import", str(path), stdout=out)
    assert "1 vectors taken" in out.getvalue() and "0 encoded" in out.getvalue()
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a vector file"):
        call_command("match_index", "--import", str(bad), stdout=io.StringIO())
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, fingerprints=np.zeros((1, 20), dtype=np.uint8), vectors=np.zeros((1, 3)))
    with pytest.raises(CommandError, match="float16 rows of 384"):
        call_command("match_index", "--import", str(wrong), stdout=io.StringIO())


def test_a_vector_file_keeps_fingerprints_that_end_in_zero_bytes(world, tmp_path):
    row = MatchVector.objects.order_by("pk").first()
    row.fingerprint = "ab" * 18 + "0000"  # a digest like any other
    row.save(update_fields=["fingerprint"])
    path = tmp_path / "vectors.npz"
    matching.vectors_export(path)
    read = matching._read_vector_file(path)
    assert set(read) == set(MatchVector.objects.values_list("fingerprint", flat=True))
    assert bytes(read[row.fingerprint].astype(np.float16).tobytes()) == bytes(row.vector)
