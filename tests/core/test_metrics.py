"""/metrics exposes Prometheus counters, latency histograms and the in-flight gauge."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def test_metrics_count_requests_and_show_requests_in_flight(client: Client) -> None:
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    text = response.content.decode()
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert "django_http_requests_total_by_method" in families
    assert "django_http_requests_latency_seconds_by_view_method" in families
    assert "http_requests_in_flight" in families
    (in_flight,) = families["http_requests_in_flight"].samples
    assert in_flight.value == 1  # the scrape itself
    by_view = {
        sample.labels.get("view"): sample.value
        for sample in families["django_http_requests_total_by_view_transport_method"].samples
    }
    assert by_view["healthz"] >= 1


def test_the_request_counter_grows_with_traffic(client: Client) -> None:
    def healthz_count() -> float:
        text = client.get("/metrics").content.decode()
        for family in text_string_to_metric_families(text):
            if family.name == "django_http_requests_total_by_view_transport_method":
                for sample in family.samples:
                    if sample.labels.get("view") == "healthz" and sample.name.endswith("_total"):
                        return sample.value
        return 0.0

    before = healthz_count()
    for _ in range(3):
        client.get("/healthz")

    assert healthz_count() == before + 3
