import pytest


@pytest.mark.django_db
def test_a_nul_character_in_a_page_query_is_refused_with_400_not_a_database_error(client):
    response = client.get("/teachers/", {"q": "math\x00s"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_api_json_answers_422_with_the_field(client):
    response = client.post(
        "/_allauth/app/v1/auth/login",
        '{"email": "a\\u0000@example.com", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Text may not contain NUL (0x00) characters."]}


@pytest.mark.django_db
def test_text_without_nul_passes_through(client):
    assert client.get("/teachers/", {"q": "maths"}).status_code == 200
