//! The service end to end over loopback: a real SQLite file in a temporary folder, real HTTP on
//! 127.0.0.1, and npm answered by the loopback registry of skillaudit-source's tests serving a
//! recorded package (no internet). The behaviours are in scenarios/.

mod harness;
mod scenarios;

#[test]
fn a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom() {
    scenarios::a_user_audits_a_package_and_gets_its_card_badge_report_sarif_and_sbom(None);
}

#[test]
fn bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing() {
    scenarios::bad_input_gets_a_clear_4xx_is_logged_and_queues_nothing(None);
}

#[test]
fn a_flood_of_requests_is_answered_429_with_retry_after() {
    scenarios::a_flood_of_requests_is_answered_429_with_retry_after(None);
}

#[test]
fn a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once() {
    scenarios::a_job_whose_worker_died_is_retried_after_its_lease_and_completed_once(None);
}

#[test]
fn a_job_whose_workers_keep_dying_fails_after_its_attempts() {
    scenarios::a_job_whose_workers_keep_dying_fails_after_its_attempts(None);
}

#[test]
fn log_verify_names_the_first_edited_or_deleted_entry() {
    scenarios::log_verify_names_the_first_edited_or_deleted_entry(None);
}

#[test]
fn concurrent_workers_claim_every_job_exactly_once() {
    scenarios::concurrent_workers_claim_every_job_exactly_once(None);
}

#[test]
fn rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook() {
    scenarios::rescans_are_queued_and_drift_is_listed_and_signed_to_the_webhook(None);
}

#[test]
fn a_slow_client_is_disconnected() {
    scenarios::a_slow_client_is_disconnected(None);
}

#[test]
fn a_slow_body_is_answered_408_and_logged() {
    scenarios::a_slow_body_is_answered_408_and_logged(None);
}
