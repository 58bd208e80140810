"""The channel layer follows REDIS_URL like the cache and the job broker: Redis between processes
in production, in memory for `make run` without it; and the ASGI application production would serve
(`daphne cplatform.asgi:application`) loads under the production settings with WebSockets routed."""

from tests.test_settings import PRODUCTION_ENV, controlled_env, settings_of

LAYER = (
    "django.setup()\n"
    "from django.conf import settings as s\n"
    "from channels.layers import get_channel_layer\n"
    "out['CHANNEL_LAYERS'] = s.CHANNEL_LAYERS\n"
    "out['layer'] = type(get_channel_layer()).__name__\n"
)


def test_production_serves_websockets_through_the_redis_channel_layer():
    code = LAYER + (
        "from cplatform.asgi import application\n"
        "out['protocols'] = sorted(application.application_mapping)\n"
    )

    loaded = settings_of("cplatform.settings.production", controlled_env(**PRODUCTION_ENV), code)

    assert loaded["layer"] == "RedisChannelLayer"
    assert loaded["CHANNEL_LAYERS"]["default"]["CONFIG"]["hosts"] == [PRODUCTION_ENV["REDIS_URL"]]
    assert loaded["protocols"] == ["http", "websocket"]


def test_make_run_keeps_the_channel_layer_in_memory_without_redis_url():
    loaded = settings_of("cplatform.settings.dev", controlled_env(), LAYER)

    assert loaded["layer"] == "InMemoryChannelLayer"


def test_dev_with_redis_url_pushes_between_processes_through_redis():
    loaded = settings_of(
        "cplatform.settings.dev", controlled_env(REDIS_URL="redis://127.0.0.1:6390/2"), LAYER
    )

    assert loaded["layer"] == "RedisChannelLayer"
