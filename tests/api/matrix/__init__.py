"""Permission-matrix rows per area. Each module has `ROWS` (operation → Call) and `build(world)`,
which adds to the World (see tests/api/test_permission_matrix.py) the objects its rows address.
An object a row addresses by id is made with `world.make(attribute, type, create)`, which gives it
an id that objects of the other types share (`collisions.py`); the matrix fails for one that is not."""

from . import (
    analytics,
    attachments,
    billing_papers,
    billing_policy,
    calendar,
    dashboards,
    messages,
    notifications,
    progress,
    rooms,
    safety,
    teaching,
)

AREAS = [
    teaching,
    progress,
    calendar,
    dashboards,
    safety,
    notifications,
    messages,
    rooms,
    attachments,
    billing_policy,
    billing_papers,  # invoice PDFs and the admins' billing operations
    analytics,
]
AREA_ROWS = {key: call for area in AREAS for key, call in area.ROWS.items()}
AREA_BUILDERS = [area.build for area in AREAS]

# Billing, front (issue 14): the payer's API.
from . import billing_front  # noqa: E402

AREAS.append(billing_front)
AREA_ROWS.update(billing_front.ROWS)
AREA_BUILDERS.append(billing_front.build)
