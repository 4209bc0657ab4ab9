from tests.conftest import Scenario


def test_each_role_reads_its_organization(scenario: Scenario) -> None:
    for role in ("owner", "admin", "manager", "tech"):
        response = scenario.client(role).get("/api/v1/orgs/current")
        assert response.status_code == 200, response.content
        assert response.json()["slug"] == "nuits-sonores"
    outsider = scenario.client("outsider").get("/api/v1/orgs/current")
    assert outsider.json()["slug"] == "theatre-voisin"
