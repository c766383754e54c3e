import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from alerts import actions, emails
from alerts.models import Alert, Follow, Subscriber
from cases.actions.publishing import unpublish_case
from cases.actions.records import save_record
from casetracker.celery import app
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_pages")]


@pytest.fixture(autouse=True)
def eager_celery():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def public_case():
    case = factories.case(published=True, title="Popova v. Moscow DIT")
    factories.filing(factories.proceeding(case), title="Old public filing")
    return case


def follow_case(client, case, email="reader@example.org", frequency="immediate", capture=None):
    response = client.post(reverse("alerts:follow"), {"email": email, "frequency": frequency, "case": case.slug})
    return response


def confirm_link(message):
    return re.search(r"https?://\S+/follow/confirm/\S+/", message.body).group(0)


def path_of(url):
    return urlsplit(url).path


def subscribe_and_confirm(client, case, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        follow_case(client, case, **kwargs)
    link = confirm_link(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(link))
    mail.outbox.clear()
    return Follow.objects.get(subscriber__email=kwargs.get("email", "reader@example.org"), case=case)


def publish_decision(case, django_capture_on_commit_callbacks, **fields):
    proceeding = case.proceedings.first()
    with django_capture_on_commit_callbacks(execute=True):
        decision = factories.decision(proceeding, summary="Marker decision", **fields)
        actions.queue_alerts_for_case(case.pk)
    return decision


def test_subscribe_sends_only_a_confirmation_and_nothing_before_it_is_confirmed(
    client, public_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow_case(client, public_case)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and "/follow/confirm/" in mail.outbox[0].body
    assert not Follow.objects.get().is_confirmed
    mail.outbox.clear()

    publish_decision(public_case, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert not Alert.objects.exists()


def test_confirmed_follower_gets_one_alert_per_new_item_with_one_click_unsubscribe(
    client, public_case, django_capture_on_commit_callbacks
):
    subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks)

    publish_decision(public_case, django_capture_on_commit_callbacks)
    publish_decision(public_case, django_capture_on_commit_callbacks, is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_alerts_for_case(public_case.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Popova v. Moscow DIT" in message.subject
    assert "Dismissed" in message.body
    assert "Old public filing" not in message.body  # public before the follow: not news
    unsubscribe = re.search(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body

    response = client.post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not Follow.objects.exists()


def test_confidential_filings_private_hearings_and_draft_cases_are_never_sent(
    client, public_case, django_capture_on_commit_callbacks
):
    subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks)
    proceeding = public_case.proceedings.first()
    with django_capture_on_commit_callbacks(execute=True):
        factories.filing(proceeding, title="SECRET strategy", is_public=False)
        factories.hearing(proceeding, is_public=False, place="SECRET room")
        factories.filing(proceeding, title="Public appeal brief")
        actions.queue_alerts_for_case(public_case.pk)
    assert len(mail.outbox) == 1
    assert "Public appeal brief" in mail.outbox[0].body
    assert "SECRET" not in mail.outbox[0].body

    draft = factories.case(title="Draft case")
    response = client.post(
        reverse("alerts:follow"), {"email": "x@example.org", "frequency": "daily", "case": draft.slug}
    )
    assert response.status_code == 400
    assert not Follow.objects.filter(case=draft).exists()


def test_item_made_private_before_the_digest_is_dropped(client, public_case, django_capture_on_commit_callbacks):
    follow = subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks, frequency="daily")
    decision = publish_decision(public_case, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and Alert.objects.filter(follow=follow, sent_at__isnull=True).count() == 1

    decision.is_public = False
    decision.save()
    assert emails.send_alerts(follow.subscriber_id, "daily") == 0
    assert mail.outbox == [] and not Alert.objects.exists()


def test_daily_digest_groups_items_and_never_sends_an_item_twice(
    client, public_case, django_capture_on_commit_callbacks
):
    subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks, frequency="daily")
    other = factories.case(published=True, title="Bridges v. South Wales Police", country="GB")
    factories.proceeding(other)
    subscribe_and_confirm(client, other, django_capture_on_commit_callbacks, frequency="daily")
    publish_decision(public_case, django_capture_on_commit_callbacks)
    publish_decision(other, django_capture_on_commit_callbacks, result="violation")
    assert mail.outbox == []

    from alerts.tasks import send_digests

    assert send_digests("weekly") == 0
    assert send_digests("daily") == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Popova v. Moscow DIT" in body and "Bridges v. South Wales Police" in body
    assert send_digests("daily") == 0
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_alerts_for_case(public_case.pk)
    assert send_digests("daily") == 0
    assert len(mail.outbox) == 1


def test_list_follow_gets_items_of_matching_cases_only(client, django_capture_on_commit_callbacks):
    russian = factories.case(published=True, title="Russian case", country="RU")
    british = factories.case(published=True, title="British case", country="GB")
    for case in (russian, british):
        factories.proceeding(case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alerts:follow"),
            {
                "email": "list@example.org",
                "frequency": "immediate",
                "query": "?page=2&country=RU&colour=red&sort=title",
            },
        )
    assert response.status_code == 200
    assert Follow.objects.get().query == "country=RU"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirm_link(mail.outbox[-1])))
    mail.outbox.clear()

    publish_decision(british, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    publish_decision(russian, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and "Russian case" in mail.outbox[0].body


def test_invalid_email_and_invalid_list_filter_give_form_errors(client):
    response = client.post(reverse("alerts:follow"), {"email": "not-an-email", "frequency": "daily", "query": ""})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = client.post(
        reverse("alerts:follow"), {"email": "a@example.org", "frequency": "daily", "query": "year=1200"}
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_forged_and_expired_links_change_nothing(client, public_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follow_case(client, public_case)
    link = path_of(confirm_link(mail.outbox[0]))
    forged = link[:-3] + ("A/" if link[-2] != "A" else "B/")

    for url in (forged, reverse("alerts:confirm", args=["nonsense"])):
        assert client.get(url).status_code == 400
        response = client.post(url)
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
        assert "Popova" not in response.content.decode()
    with time_machine.travel("2099-01-01"):
        for response in (client.get(link), client.post(link)):
            assert response.status_code == 400
            assert "does not work" in response.content.decode() and "Popova" not in response.content.decode()
    assert not Follow.objects.get().is_confirmed

    assert client.get(reverse("alerts:unsubscribe", args=["forged"])).status_code == 400
    assert client.post(reverse("alerts:unsubscribe", args=["forged"])).status_code == 400
    assert Subscriber.objects.count() == 1

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200
    assert Follow.objects.get().is_confirmed


def unpublish_and_rename(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(case, actor=None)
        case.title = "Draft rename SECRET"
        save_record(case, actor=None)


def test_a_case_unpublished_after_the_follow_shows_a_neutral_page(
    client, public_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_case(client, public_case)
    link = path_of(confirm_link(mail.outbox[0]))
    unpublish_and_rename(public_case, django_capture_on_commit_callbacks)

    for response in (client.get(link), client.post(link)):
        html = response.content.decode()
        assert response.status_code == 410
        assert "no longer public" in html
        assert "SECRET" not in html and "Popova" not in html
    assert not Follow.objects.get().is_confirmed


def test_a_queued_confirmation_for_a_case_since_unpublished_is_dropped(
    client, public_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        follow_case(client, public_case)
    unpublish_and_rename(public_case, django_capture_on_commit_callbacks)
    for send in queued:
        send()  # the worker picks up the confirmation email only now
    assert not mail.outbox


def test_the_confirmed_page_names_the_case_only_while_public(client, public_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follow_case(client, public_case)
    link = path_of(confirm_link(mail.outbox[0]))
    assert "Popova v. Moscow DIT" in client.post(link).content.decode()


def test_forged_forwarded_for_headers_share_one_bucket(client, public_case, settings):
    settings.ALERTS_RATE_PER_IP = 3
    settings.ALERTS_RATE_PER_ADDRESS = 100
    codes = [
        client.post(
            reverse("alerts:follow"),
            {"email": f"reader{n}@example.org", "frequency": "daily", "case": public_case.slug},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(client, public_case, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALERTS_RATE_PER_IP = 1
    settings.ALERTS_RATE_PER_ADDRESS = 100

    def follow_from(forwarded_for, n):
        data = {"email": f"reader{n}@example.org", "frequency": "daily", "case": public_case.slug}
        # Every request reaches the site from the proxy's address.
        return client.post(
            reverse("alerts:follow"), data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert follow_from("198.51.100.1", 1) == 200
    assert follow_from("198.51.100.2", 2) == 200
    assert follow_from("198.51.100.1", 3) == 429
    # A client's own forged entry comes before the one the proxy appends, and changes nothing.
    assert follow_from("192.0.2.77, 198.51.100.2", 4) == 429


def test_resubscribing_does_not_change_frequency_until_confirmed(
    client, public_case, django_capture_on_commit_callbacks
):
    follow = subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks, frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        follow_case(client, public_case, frequency="weekly")
    follow.refresh_from_db()
    assert follow.frequency == "immediate"
    client.post(path_of(confirm_link(mail.outbox[-1])))
    follow.refresh_from_db()
    assert follow.frequency == "weekly"


def test_subscribe_is_rate_limited_per_address_and_per_ip(client, public_case, settings):
    settings.ALERTS_RATE_PER_ADDRESS = 2
    settings.ALERTS_RATE_PER_IP = 3
    for _ in range(2):
        assert follow_case(client, public_case, email="same@example.org").status_code == 200
    response = follow_case(client, public_case, email="same@example.org")
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert follow_case(client, public_case, email="second@example.org").status_code == 429  # 4th from this IP
    other_ip = client.post(
        reverse("alerts:follow"),
        {"email": "third@example.org", "frequency": "daily", "case": public_case.slug},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_ip.status_code == 200


def test_russian_follower_gets_russian_pages_and_links(client, public_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ru/follow/", {"email": "ru@example.org", "frequency": "weekly", "case": public_case.slug}
        )
    assert response.status_code == 200
    assert Subscriber.objects.get().language == "ru"
    assert "/ru/follow/confirm/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Подтвердите оповещения о делах"


def test_follow_form_renders_for_case_and_list(rf, public_case):
    from django.template import Context, Template

    template = Template("{% load alerts_tags %}{% follow_form case %}")
    html = template.render(Context({"case": public_case, "request": rf.get("/cases/")}))
    assert f'value="{public_case.slug}"' in html and 'name="email"' in html
    html = template.render(Context({"case": None, "request": rf.get("/cases/?country=RU")}))
    assert 'value="country=RU"' in html


def test_case_page_and_filtered_list_carry_the_follow_form(client, public_case, django_capture_on_commit_callbacks):
    html = client.get(f"/cases/{public_case.slug}/").content.decode()
    assert 'action="/follow/"' in html and f'name="case" value="{public_case.slug}"' in html
    html = client.get("/ru/cases/?country=RU").content.decode()
    assert 'action="/ru/follow/"' in html and 'name="query" value="country=RU"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/follow/", {"email": "a@example.org", "frequency": "daily", "query": "country=RU"})
    assert response.status_code == 200
    assert Follow.objects.get().query == "country=RU"


def test_recording_a_decision_through_the_action_alerts_followers_after_commit(
    client, public_case, editor, django_capture_on_commit_callbacks
):
    from cases.actions.decisions import save_decision
    from cases.models import Decision

    subscribe_and_confirm(client, public_case, django_capture_on_commit_callbacks)
    proceeding = public_case.proceedings.first()
    decision = Decision(proceeding=proceeding, announced_on=proceeding.started_on, result="granted", is_public=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_decision(decision, actor=editor)
    assert mail.outbox == []  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1 and "Granted" in mail.outbox[0].body
