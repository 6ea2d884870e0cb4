//! The same behaviours on PostgreSQL: each test makes a fresh database on the server
//! `SKILLAUDIT_TEST_POSTGRES_URL` names, and prints `skipped` when it is unset.

mod harness;
mod scenarios;

#[test]
fn a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom_on_postgres() {
    if let Some(url) = harness::fresh_postgres(
        "a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom",
    ) {
        scenarios::a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom(Some(url));
    }
}

#[test]
fn bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing_on_postgres() {
    if let Some(url) =
        harness::fresh_postgres("bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing")
    {
        scenarios::bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing(Some(url));
    }
}

#[test]
fn a_flood_of_requests_is_answered_429_with_retry_after_on_postgres() {
    if let Some(url) =
        harness::fresh_postgres("a_flood_of_requests_is_answered_429_with_retry_after")
    {
        scenarios::a_flood_of_requests_is_answered_429_with_retry_after(Some(url));
    }
}

#[test]
fn a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once_on_postgres() {
    if let Some(url) = harness::fresh_postgres(
        "a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once",
    ) {
        scenarios::a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once(Some(url));
    }
}

#[test]
fn a_job_whose_workers_keep_dying_fails_after_its_attempts_on_postgres() {
    if let Some(url) =
        harness::fresh_postgres("a_job_whose_workers_keep_dying_fails_after_its_attempts")
    {
        scenarios::a_job_whose_workers_keep_dying_fails_after_its_attempts(Some(url));
    }
}

#[test]
fn log_verify_names_the_first_edited_or_deleted_entry_on_postgres() {
    if let Some(url) = harness::fresh_postgres("log_verify_names_the_first_edited_or_deleted_entry")
    {
        scenarios::log_verify_names_the_first_edited_or_deleted_entry(Some(url));
    }
}

#[test]
fn concurrent_workers_claim_every_job_exactly_once_on_postgres() {
    if let Some(url) = harness::fresh_postgres("concurrent_workers_claim_every_job_exactly_once") {
        scenarios::concurrent_workers_claim_every_job_exactly_once(Some(url));
    }
}

#[test]
fn rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook_on_postgres() {
    if let Some(url) =
        harness::fresh_postgres("rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook")
    {
        scenarios::rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook(Some(url));
    }
}

#[test]
fn a_slow_client_is_disconnected_on_postgres() {
    if let Some(url) = harness::fresh_postgres("a_slow_client_is_disconnected") {
        scenarios::a_slow_client_is_disconnected(Some(url));
    }
}

#[test]
fn a_slow_body_is_answered_408_and_logged_on_postgres() {
    if let Some(url) = harness::fresh_postgres("a_slow_body_is_answered_408_and_logged") {
        scenarios::a_slow_body_is_answered_408_and_logged(Some(url));
    }
}
