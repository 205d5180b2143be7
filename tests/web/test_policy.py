"""The one policy of what each state allows: the declaration's table of moves, and the screens offering only
what the policy allows."""

import pytest
from django.urls import reverse

from dti.assessments import policy
from dti.assessments.actions import declarations
from dti.assessments.models import Declaration

from .test_declaration import chi_participation, open_period  # noqa: F401 - fixtures

State = Declaration.State


def test_every_declaration_state_has_its_moves_and_every_move_ends_in_a_state():
    assert set(policy.DECLARATION_MOVES) == set(State.values)
    assert all(targets <= set(State.values) for targets in policy.DECLARATION_MOVES.values())


@pytest.mark.parametrize(("current", "target"), [(State.DRAFT, State.RETURNED), (State.NOT_STARTED, State.RETURNED),
                                                 (State.SUBMITTED, State.DRAFT), (State.RETURNED, State.DRAFT)])
def test_a_move_outside_the_table_is_refused_and_changes_nothing(chi_participation, current, target):  # noqa: F811
    declaration = declarations.declaration_of(chi_participation)
    Declaration.objects.filter(pk=declaration.pk).update(state=current)
    declaration.refresh_from_db()
    with pytest.raises(ValueError, match=f"from {current} to {target}"):
        declarations.move_declaration(declaration, target, by=None)
    assert Declaration.objects.get(pk=declaration.pk).state == current


def test_reading_a_declarations_state_writes_nothing(chi_participation):  # noqa: F811
    Declaration.objects.filter(participation=chi_participation).delete()
    assert policy.declaration_state(chi_participation) == State.NOT_STARTED
    assert policy.edit_refusal(chi_participation) is None
    assert not Declaration.objects.filter(participation=chi_participation).exists()


def test_the_period_page_offers_only_the_next_state(as_user, open_period):  # noqa: F811
    page = as_user("an").get(reverse("assessments:period", args=[open_period.pk])).content.decode()
    offered = {state for state in policy.PeriodState.values if f'name="to_state" value="{state}"' in page}
    assert offered == {"reviewing"}
