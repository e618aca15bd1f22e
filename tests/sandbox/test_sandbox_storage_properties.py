"""Property tests of the compact stores against naive models: the numbers store (holes,
compaction, paging) and the exact worst-window count of the arrival log."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unitalk_async.sandbox.limits import worst_window
from unitalk_async.sandbox.numbers import NumberStore

PHONES = st.sampled_from([f"38097000{n:04d}" for n in range(40)])
STATES = ["ANSWER", "BUSY", "NOANSWER"]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(PHONES, max_size=8), st.booleans()),
        st.tuples(st.just("remove"), st.lists(PHONES, max_size=8), st.just(False)),
        st.tuples(st.just("dial"), st.lists(st.sampled_from(STATES), max_size=5), st.just(False)),
        st.tuples(
            st.just("refresh"), st.lists(st.sampled_from(STATES), max_size=2), st.just(False)
        ),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(operations, st.integers(0, 45), st.integers(1, 50))
def test_number_store_matches_a_list_model(
    ops: list[tuple[str, list[str], bool]], offset: int, limit: int
) -> None:
    store = NumberStore()
    model: dict[str, str] = {}  # insertion-ordered phone -> state
    for op, items, refresh in ops:
        if op == "add":
            unique = list(dict.fromkeys(items))
            added = store.add_many(unique, high_priority=False, refresh_duplicates=refresh)
            expected = 0
            for phone in unique:
                if phone not in model or refresh:
                    expected += 1
                    model[phone] = "NEW"
            assert added == expected
        elif op == "remove":
            removed = store.remove_many(list(dict.fromkeys(items)))
            assert removed == sum(1 for p in dict.fromkeys(items) if model.pop(p, None))
        elif op == "dial":
            for state in items:
                slot = store.next_to_dial()
                if slot is None:
                    assert "NEW" not in model.values()
                    break
                phone = store.phones[slot]
                assert phone is not None and model[phone] == "NEW"
                store.set_state(slot, state, "2030-01-01 00:00:00")
                model[phone] = state
        else:
            refreshed = store.refresh(frozenset(items))
            targets = [p for p, s in model.items() if s in items]
            assert refreshed == len(targets)
            model.update(dict.fromkeys(targets, "NEW"))
        assert store.count == len(model)
        assert {s: n for s, n in store.state_counts.items() if n} == _counts(model)
    listed = [store.phones[s] for s in store.page(offset, limit)]
    assert listed == list(model)[offset : offset + limit]
    wanted = frozenset({"NEW", "BUSY"})
    filtered = [store.phones[s] for s in store.page(offset, limit, wanted)]
    assert filtered == [p for p, s in model.items() if s in wanted][offset : offset + limit]
    for phone in model:
        assert store.view(store.index[phone], 1)["state"] == model[phone]


def _counts(model: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in model.values():
        counts[state] = counts.get(state, 0) + 1
    return counts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 400).map(lambda n: n / 20), max_size=60).map(sorted),
    st.sampled_from([0.5, 1.0, 2.5]),
)
def test_worst_window_matches_brute_force(times: list[float], seconds: float) -> None:
    brute = max((sum(1 for u in times if t - seconds < u <= t) for t in times), default=0)
    assert worst_window(times, seconds) == brute
