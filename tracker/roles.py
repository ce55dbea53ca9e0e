"""Events and actions: which milestones happen in the world and which the team delivers."""

from __future__ import annotations

from tracker.models import DeadlineKind, MilestoneRole

# A debate, visit, election, decision or meeting takes place whatever the team does; a
# submission or a commitment is something somebody has to deliver, and so can become overdue.
DEFAULT_ROLE: dict[str, MilestoneRole] = {
    DeadlineKind.DEBATE.value: MilestoneRole.EVENT,
    DeadlineKind.VISIT.value: MilestoneRole.EVENT,
    DeadlineKind.ELECTION.value: MilestoneRole.EVENT,
    DeadlineKind.DECISION.value: MilestoneRole.EVENT,
    DeadlineKind.MEETING.value: MilestoneRole.EVENT,
    DeadlineKind.SUBMISSION.value: MilestoneRole.ACTION,
    DeadlineKind.COMMITMENT.value: MilestoneRole.ACTION,
    DeadlineKind.OTHER.value: MilestoneRole.ACTION,
}


def default_role(kind: str) -> str:
    """The role a milestone of this kind has unless said otherwise."""
    return DEFAULT_ROLE.get(kind, MilestoneRole.ACTION).value


def is_action(role: str) -> bool:
    """True for milestones the team delivers (only those can be overdue)."""
    return role == MilestoneRole.ACTION.value
