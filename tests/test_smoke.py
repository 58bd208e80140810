import pytest


@pytest.mark.django_db
def test_home_page_answers_in_english_and_spanish(client):
    assert client.get("/").status_code == 200
    response = client.get("/es/")
    assert response.status_code == 200
    assert b'lang="es"' in response.content


@pytest.mark.django_db
def test_openapi_schema_lists_the_v1_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/teachers" in schema["paths"]
