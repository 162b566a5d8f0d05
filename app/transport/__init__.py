"""How a websocket session reaches its connection.

    session.py       one peer's session: hello and join, each message, leave, stats
    asgi.py          the plain ASGI adapter (any server): QueuedSocket and its writer task
    uvicorn_line.py  the direct line under `flowmap serve`: uvicorn's protocol, taken over

Only uvicorn_line.py knows uvicorn; only the adapters know Starlette's websocket.
"""
