"""Handing a conversation to a person at the career development office, and bringing the
answer back. Plain Python: settings.py (what the environment configures), office_hours.py,
store.py (requests, office replies and deliveries, kept in SQL before anything is sent),
destinations.py (Slack, e-mail, a JSON webhook) and desk.py (submitting a request and
delivering it with retries). Both servers import it: the action server files requests,
the Rasa server takes the office's replies from Slack. So it needs only SQLAlchemy (1.4
in Rasa's environment, 2.x in the action server's) and, for delivery, httpx and tenacity.
"""
