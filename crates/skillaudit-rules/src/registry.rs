//! Every rule SkillAudit runs. Registering a rule is one line here.

use crate::{
    behaviour as mal, credentials as cred, dependencies as dep, documentation as doc, flow,
    injection as inj, maintenance as mnt, permissions as perm, security as sec, skills, Rule,
};
use skillaudit_core::RuleMeta;

/// All rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &doc::missing_readme::MissingReadme,
    &doc::readme_without_install::ReadmeWithoutInstall,
    &doc::readme_without_configuration::ReadmeWithoutConfiguration,
    &doc::undocumented_environment_variable::UndocumentedEnvironmentVariable,
    &doc::readme_without_tool_list::ReadmeWithoutToolList,
    &doc::missing_security_policy::MissingSecurityPolicy,
    &doc::incomplete_security_policy::IncompleteSecurityPolicy,
    &doc::missing_license::MissingLicense,
    &doc::missing_changelog::MissingChangelog,
    &mnt::missing_lockfile::MissingLockfile,
    &mnt::floating_dependency_ranges::FloatingDependencyRanges,
    &mnt::unbounded_sdk_range::UnboundedSdkRange,
    &mnt::no_dependency_update_automation::NoDependencyUpdateAutomation,
    &mnt::no_vulnerability_disclosure_policy::NoVulnerabilityDisclosurePolicy,
    &mnt::stale_repository::StaleRepository,
    &mnt::stale_release::StaleRelease,
    &mnt::deprecated_release::DeprecatedRelease,
    &dep::vulnerable_dependency::VulnerableDependency,
    &dep::own_advisory::OwnAdvisory,
    &dep::deprecated_dependency::DeprecatedDependency,
    &dep::stale_dependency::StaleDependency,
    &dep::sdk_major_range::SdkMajorRange,
    &dep::missing_runtime_declaration::MissingRuntimeDeclaration,
    &dep::repository_provenance::RepositoryProvenance,
    &sec::shell_command_injection::ShellCommandInjection,
    &sec::argument_injection::ArgumentInjection,
    &sec::untrusted_program::UntrustedProgram,
    &sec::unconstrained_file_path::UnconstrainedFilePath,
    &sec::prefix_containment_without_separator::PrefixContainmentWithoutSeparator,
    &sec::path_check_error_fallback::PathCheckErrorFallback,
    &sec::unvalidated_request_url::UnvalidatedRequestUrl,
    &sec::url_joined_from_input::UrlJoinedFromInput,
    &sec::sql_built_from_input::SqlBuiltFromInput,
    &sec::dynamic_code_evaluation::DynamicCodeEvaluation,
    &sec::unsafe_deserialization::UnsafeDeserialization,
    &sec::dynamic_import::DynamicImport,
    &sec::format_string_from_input::FormatStringFromInput,
    &sec::html_built_from_request::HtmlBuiltFromRequest,
    &sec::unchecked_navigation_url::UncheckedNavigationUrl,
    &sec::stack_trace_in_tool_result::StackTraceInToolResult,
    &sec::exception_text_in_tool_result::ExceptionTextInToolResult,
    &sec::unbounded_size_argument::UnboundedSizeArgument,
    &sec::no_dns_rebinding_protection::NoDnsRebindingProtection,
    &sec::server_bound_to_all_interfaces::ServerBoundToAllInterfaces,
    &sec::unauthenticated_process_endpoint::UnauthenticatedProcessEndpoint,
    &cred::hardcoded_provider_secret::HardcodedProviderSecret,
    &cred::generic_secret_assignment::GenericSecretAssignment,
    &cred::committed_env_file::CommittedEnvFile,
    &cred::secret_written_to_log::SecretWrittenToLog,
    &cred::secret_returned_to_client::SecretReturnedToClient,
    &cred::credential_in_url::CredentialInUrl,
    &cred::model_chosen_credential::ModelChosenCredential,
    &cred::tool_arguments_logged::ToolArgumentsLogged,
    &cred::credential_read_in_handler::CredentialReadInHandler,
    &inj::hidden_instruction::HiddenInstruction,
    &inj::data_exfiltration_request::DataExfiltrationRequest,
    &inj::cross_tool_instruction::CrossToolInstruction,
    &inj::invisible_text::InvisibleText,
    &inj::obfuscated_payload::ObfuscatedPayload,
    &inj::malicious_capability::MaliciousCapability,
    &inj::model_instruction::ModelInstruction,
    &flow::toxic_tool_combination::ToxicToolCombination,
    &perm::over_broad_token_scope::OverBroadTokenScope,
    &perm::broad_default_root::BroadDefaultRoot,
    &perm::long_lived_token::LongLivedToken,
    &perm::destructive_tool_without_safeguard::DestructiveToolWithoutSafeguard,
    &perm::understated_tool_annotation::UnderstatedToolAnnotation,
    &mal::local_secret_exfiltration::LocalSecretExfiltration,
    &mal::download_and_execute::DownloadAndExecute,
    &mal::reverse_shell::ReverseShell,
    &mal::persistence::Persistence,
    &mal::obfuscated_execution::ObfuscatedExecution,
    &mal::defence_evasion::DefenceEvasion,
    &mal::privilege_escalation::PrivilegeEscalation,
    &mal::destructive_operation::DestructiveOperation,
    &mal::local_secret_returned::LocalSecretReturned,
    &mal::cryptomining::Cryptomining,
    &mal::cloud_metadata_access::CloudMetadataAccess,
    &mal::undisclosed_transmission::UndisclosedTransmission,
    &mal::credential_staging::CredentialStaging,
    &mal::install_script_technique::InstallScriptTechnique,
    &mal::skill_code_technique::SkillCodeTechnique,
    &skills::invalid_front_matter::InvalidFrontMatter,
    &skills::unrestricted_shell_access::UnrestrictedShellAccess,
    &skills::remote_code_execution::RemoteCodeExecution,
    &skills::secret_exfiltration::SecretExfiltration,
    &skills::persistence_or_tampering::PersistenceOrTampering,
    &skills::cryptominer::Cryptominer,
    &skills::binary_payload::BinaryPayload,
    &skills::typosquatted_package::TyposquattedPackage,
];

/// Metadata of every rule.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).collect()
}

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code.trim()))
}
