"""Every row of the threat catalogue (``reference/threats.md``) is a test somewhere, or a gap with
its reason written down here. The test checks that each named test still exists, so renaming or
deleting one breaks this map instead of silently dropping a threat."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
H = "hardening/"

COVERED: dict[str, list[str]] = {
    # --- the extension (tests/browser, plus the on-disk search of the canary sweep) ---
    "EXT-01": ["browser/test_extension_static.py::test_manifest_drift_fails_the_build",
               "browser/test_extension_static.py::test_the_manifest_asks_only_for_what_permissions_md_justifies"],
    "EXT-02": ["browser/test_extension_static.py::test_the_scripts_hold_no_html_sinks_eval_remote_code_or_logging",
               "browser/test_extension_static.py::test_a_forbidden_sink_would_be_caught"],
    "EXT-03": ["browser/test_security.py::test_hostile_text_in_the_page_is_shown_as_text_and_runs_nothing"],
    "EXT-04": ["browser/test_security.py::test_the_service_receives_no_identifying_data_and_the_page_cannot_read_findings"],
    "EXT-05": ["browser/test_security.py::test_web_pages_cannot_message_the_extension",
               "browser/test_security.py::test_content_scripts_cannot_use_privileged_messages",
               "browser/test_security.py::test_oversized_messages_are_refused",
               H + "test_phi_canary_sweep.py::test_no_canary_survives_anywhere"],
    "EXT-06": ["browser/test_security.py::test_the_service_receives_no_identifying_data_and_the_page_cannot_read_findings"],
    "EXT-07": ["browser/test_storage.py::test_scans_leave_no_claim_data_in_any_storage",
               "browser/test_storage.py::test_a_tabs_report_is_dropped_when_the_tab_closes",
               H + "test_phi_canary_sweep.py::test_no_canary_survives_anywhere"],
    "EXT-08": ["browser/test_errors.py::test_service_down_says_how_to_start_it_within_seconds",
               "browser/test_errors.py::test_wrong_token_says_to_pair_again"],
    "EXT-09": ["browser/test_adapters.py::test_a_page_without_claim_lines_extracts_nothing",
               "browser/test_ui.py::test_the_extension_refuses_amounts_it_would_have_to_guess",
               "browser/test_errors.py::test_a_page_the_extension_cannot_read_gets_a_report_not_an_exception"],
    "EXT-10": ["browser/test_scan.py::test_annotations_draw_under_a_strict_content_security_policy"],
    "EXT-11": ["test_store_checklist.py::test_every_item_passes_for_this_release",
               "test_store_checklist.py::test_a_permission_without_its_justification_fails",
               "test_store_checklist.py::test_denying_what_the_extension_handles_fails",
               "test_store_checklist.py::test_a_policy_without_the_limited_use_statement_fails"],
    # --- the service ---
    "SVC-01": [H + "test_real_server_threats.py::test_svc01_by_default_the_service_listens_on_loopback_only",
               H + "test_real_server_threats.py::test_svc01_bound_to_every_interface_it_still_answers_only_loopback_names",
               H + "test_real_server_threats.py::test_svc01_a_second_instance_on_a_taken_port_exits_and_the_first_keeps_serving"],
    "SVC-02": [H + "test_service_threats.py::test_svc02_a_host_outside_the_allowlist_is_refused_before_routing",
               H + "test_service_threats.py::test_svc02_both_loopback_names_with_the_port_are_accepted",
               H + "test_browser_origin.py::test_a_rebound_dns_name_reaches_the_port_but_every_answer_is_a_400"],
    "SVC-03": [H + "test_service_threats.py::test_svc03_a_cross_site_post_is_refused_before_its_body_is_read",
               H + "test_service_threats.py::test_svc03_a_foreign_origin_cannot_upload_a_document_either",
               H + "test_browser_origin.py::test_a_page_on_another_origin_gets_nothing_processed_and_reads_nothing"],
    "SVC-04": [H + "test_service_threats.py::test_svc04_a_preflight_from_another_origin_is_refused_without_cors_headers",
               H + "test_service_threats.py::test_svc04_no_answer_ever_allows_any_origin_or_credentials"],
    "SVC-05": [H + "test_service_threats.py::test_svc05_every_wrong_token_gets_the_same_401"],
    "SVC-06": [H + "test_service_threats.py::test_svc06_a_body_over_the_limit_is_refused_by_its_length",
               H + "test_service_threats.py::test_svc06_a_chunked_body_over_the_limit_is_refused_while_streaming",
               H + "test_service_threats.py::test_svc06_a_form_with_two_thousand_parts_is_refused",
               "ingest/test_document_route.py::test_an_upload_over_the_limit_is_a_413"],
    "SVC-07": [H + "test_service_threats.py::test_svc07_a_document_that_is_not_what_it_claims_is_refused_without_quoting_it"],
    "SVC-08": [H + "test_service_threats.py::test_svc08_malformed_json_is_a_400_that_names_the_place_never_the_value",
               H + "test_service_threats.py::test_svc08_duplicate_keys_keep_the_last_value_like_the_browser_that_sent_them",
               H + "test_schema_fuzz.py::test_every_route_survives_schema_fuzzing"],
    "SVC-09": [H + "test_service_threats.py::test_svc09_an_unexpected_error_is_a_bare_500_even_in_litestar_debug_mode"],
    "SVC-10": ["ingest/test_pdf_bad.py::test_more_documents_than_workers_and_queue_get_a_503",
               H + "test_load_and_faults.py::test_a_minute_of_32_connections_on_scan_loses_nothing_and_holds_memory"],
    "SVC-11": [H + "test_service_threats.py::test_svc11_no_cdn_backed_schema_page_is_served",
               H + "test_service_threats.py::test_svc11_the_pages_the_service_serves_load_nothing_from_elsewhere"],
    "SVC-12": [H + "test_phi_canary_sweep.py::test_no_canary_survives_anywhere",
               "test_logging.py::test_no_canary_reaches_any_log_record_on_success_errors_and_plugin_exceptions"],
    "SVC-13": [H + "test_phi_canary_sweep.py::test_no_canary_survives_anywhere"],
    "SVC-14": [H + "test_real_server_threats.py::test_svc14_stop_and_start_on_one_port_three_times_leaves_no_process_and_frees_the_port",
               H + "test_real_server_threats.py::test_svc14_sigterm_during_a_pdf_parse_stops_the_parse_and_the_service"],
    # --- PDF parsing (tests/ingest) and fuzzing through the route ---
    "PDF-01": ["ingest/test_pdf_bad.py::test_a_decompression_bomb_is_stopped_at_the_stream_cap",
               "ingest/test_pdf_bad.py::test_without_the_stream_cap_the_memory_limit_still_stops_a_bomb"],
    "PDF-02": ["ingest/test_pdf_bad.py::test_a_stacked_filter_bomb_of_a_few_kilobytes_is_stopped_too"],
    "PDF-03": ["ingest/test_pdf_bad.py::test_an_endless_page_is_killed_at_the_wall_clock_limit",
               "ingest/test_document_route.py::test_the_service_keeps_answering_while_a_pdf_is_being_killed"],
    "PDF-04": ["ingest/test_pdf_bad.py::test_too_many_pages_is_refused_before_parsing"],
    "PDF-05": [H + "test_parser_fuzz.py::test_structurally_hostile_pdfs_are_refused_in_time_and_the_service_goes_on"],
    "PDF-06": [H + "test_parser_fuzz.py::test_every_mutant_ends_in_a_result_or_a_clear_4xx_in_time",
               "ingest/test_pdf_bad.py::test_a_pdf_header_followed_by_garbage_is_unreadable"],
    "PDF-07": [H + "test_parser_fuzz.py::test_structurally_hostile_pdfs_are_refused_in_time_and_the_service_goes_on"],
    "PDF-08": ["ingest/test_pdf_bad.py::test_an_encrypted_pdf_asks_for_an_unprotected_copy"],
    "PDF-09": ["ingest/test_pdf_bad.py::test_a_non_pdf_named_pdf_is_refused_without_starting_a_worker",
               "ingest/test_pdf_bad.py::test_an_empty_file_is_refused",
               H + "test_service_threats.py::test_svc07_a_document_that_is_not_what_it_claims_is_refused_without_quoting_it"],
    "PDF-10": ["ingest/test_pdf_bad.py::test_more_documents_than_workers_and_queue_get_a_503",
               "ingest/test_pdf_bad.py::test_no_worker_is_left_running_after_a_timeout"],
    "PDF-11": ["ingest/test_pdf_bad.py::test_pdfminer_debug_logging_never_shows_document_text"],
    "PDF-12": ["ingest/test_pdf_bad.py::test_a_worker_killed_mid_parse_is_a_clear_error_and_the_next_pdf_works"],
    "PDF-13": ["ingest/test_corpus.py::test_every_amount_of_the_corpus_is_read_correctly"],
    # --- plugins ---
    "PLG-01": ["test_engine.py::test_a_raising_check_leaves_the_other_checks_findings_intact",
               H + "test_load_and_faults.py::test_a_plugin_failing_one_call_in_ten_changes_no_other_finding",
               H + "test_load_and_faults.py::test_over_http_the_failing_plugin_leaves_the_other_findings_as_they_were"],
    "PLG-02": ["test_isolation.py::test_a_hung_check_is_abandoned_at_its_deadline_then_skipped",
               "test_isolation.py::test_abandoned_threads_stay_bounded_and_end_when_the_check_returns"],
    # PLG-03 holds with EOBSCAN_PLUGIN_PROCESS=1; by default plugins run in the service's process.
    "PLG-03": [H + "test_plugin_process.py::test_plg03_a_check_asking_for_4_gb_fails_alone_and_the_next_scan_is_served",
               H + "test_plugin_process.py::test_plg03_ten_thousand_leaky_calls_recycle_the_process_and_leave_the_service_flat",
               H + "test_plugin_process.py::test_in_the_real_service_a_hog_and_a_leak_leave_its_memory_flat"],
    "PLG-04": ["test_engine.py::test_a_check_returning_garbage_keeps_its_valid_findings_and_is_reported",
               H + "test_plugin_faults.py::test_plg04_a_flood_of_findings_with_absurd_amounts_is_not_passed_on"],
    "PLG-05": ["test_plugins.py::test_a_plugin_that_fails_to_import_is_reported_by_name_and_the_rest_load"],
    "PLG-06": [H + "test_plugin_faults.py::test_plg06_a_plugin_that_changes_the_claims_changes_no_other_finding"],
    "PLG-07": [H + "test_plugin_tripwire.py::test_a_connection_to_a_listening_port_never_arrives",
               H + "test_plugin_tripwire.py::test_a_command_never_runs",
               H + "test_plugin_tripwire.py::test_a_file_is_never_written_nor_removed",
               H + "test_plugin_tripwire.py::test_in_the_real_service_nothing_reaches_the_listener"],
    "PLG-08": [H + "test_plugin_faults.py::test_plg08_what_a_plugin_prints_or_logs_never_reaches_the_service_log"],
    "PLG-09": [H + "test_plugin_faults.py::test_plg09_a_disabled_plugin_is_never_imported",
               "test_plugins.py::test_eobscan_disable_turns_plugins_off_by_name"],
    "PLG-10": [H + "test_plugin_faults.py::test_plg10_a_hook_with_a_wrong_signature_is_refused_by_name_and_the_rest_load"],
    "PLG-11": [H + "test_plugin_faults.py::test_plg11_of_two_plugins_under_one_name_one_loads_and_the_other_is_reported",
               "test_plugins.py::test_two_plugins_claiming_one_rule_code_is_a_clear_error"],
    "PLG-12": [H + "test_plugin_faults.py::test_plg12_no_code_path_turns_on_hook_tracing"],
    # --- money ---
    "MNY-01": [H + "test_money_properties.py::test_every_printed_form_reads_back_to_the_same_cents",
               "test_money.py::test_printed_amounts_are_read_exactly"],
    "MNY-02": [H + "test_money_properties.py::test_every_printed_form_reads_back_to_the_same_cents",
               H + "test_money_properties.py::test_forms_that_are_not_an_amount_are_refused"],
    "MNY-03": [H + "test_money_properties.py::test_forms_that_are_not_an_amount_are_refused",
               H + "test_money_properties.py::test_more_than_two_decimals_is_refused_not_rounded"],
    "MNY-04": [H + "test_money_properties.py::test_a_look_alike_digit_anywhere_is_refused",
               H + "test_money_properties.py::test_minus_zero_is_zero"],
    "MNY-05": [H + "test_money_properties.py::test_forms_that_are_not_an_amount_are_refused"],
    "MNY-06": [H + "test_money_properties.py::test_amounts_above_the_limit_are_refused",
               H + "test_service_threats.py::test_svc08_malformed_json_is_a_400_that_names_the_place_never_the_value"],
    "MNY-07": [H + "test_engine_properties.py::test_every_scan_keeps_the_engine_invariants"],
}  # fmt: skip

#: Rows with no test, and why.
GAPS: dict[str, str] = {}

CATALOGUE_ROWS = (
    [f"EXT-{n:02d}" for n in range(1, 12)]
    + [f"SVC-{n:02d}" for n in range(1, 15)]
    + [f"PDF-{n:02d}" for n in range(1, 14)]
    + [f"PLG-{n:02d}" for n in range(1, 13)]
    + [f"MNY-{n:02d}" for n in range(1, 8)]
)


def test_every_row_of_the_catalogue_is_a_test_or_a_written_down_gap() -> None:
    assert sorted(COVERED.keys() | GAPS.keys()) == sorted(CATALOGUE_ROWS)
    assert not COVERED.keys() & GAPS.keys()


def test_every_test_the_map_names_exists() -> None:
    missing = []
    for row, tests in COVERED.items():
        for reference in tests:
            path, name = reference.split("::")
            source = (TESTS / path).read_text() if (TESTS / path).exists() else ""
            if not re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE):
                missing.append(f"{row}: {reference}")
    assert missing == []
