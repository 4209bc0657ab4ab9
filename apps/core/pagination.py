"""Page-number pagination with a bounded page size.

``page`` and ``page_size`` are validated rather than silently replaced by defaults: a
value that is not a whole number of 1 or more answers 400 naming the parameter. A page
size above the cap is served at the cap (documented); a page past the last one is a 404.
"""

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from apps.core.errors import ValidationFailed


def _positive_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw, 10)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationFailed.for_field(name, "Give a whole number of 1 or more.")
    return value


class BoundedPageNumberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        size = _positive_int(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size is not None else self.page_size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        number = _positive_int(request, self.page_query_param)
        return number if number is not None else 1

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            schema = parameter.setdefault("schema", {})
            schema["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page, {self.page_size} by default; above {self.max_page_size}, "
                    f"{self.max_page_size}."
                )
        return parameters
