"""Talking to the assistant: the portal relays each message to Rasa's REST channel, server-side.

The browser never talks to Rasa. Anything that goes wrong (Rasa or its action server down, slow, or answering
nonsense) is one exception, so the chat can always answer the person in plain words within 3 seconds.
"""

import json
import urllib.error
import urllib.request

# A reply must be a list of small messages; anything else is not an answer we can show.
MAX_REPLY_BYTES = 256 * 1024


class AssistantUnavailable(Exception):
    pass


def ask(base_url: str, sender: str, message: str, metadata: dict, timeout: float) -> list[dict]:
    request = urllib.request.Request(
        base_url.rstrip("/") + "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read(MAX_REPLY_BYTES + 1))
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError, OSError) as error:
        raise AssistantUnavailable(str(error)) from error
    if not isinstance(replies, list) or not all(isinstance(reply, dict) for reply in replies):
        raise AssistantUnavailable("the assistant's answer was not a list of messages")
    return replies
