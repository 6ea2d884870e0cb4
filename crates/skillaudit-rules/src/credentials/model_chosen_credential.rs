use crate::{declare_rule, Findings, Project, Rule, RuleMeta};
use skillaudit_core::Severity;
use skillaudit_lang::{OriginKind, SinkKind};

declare_rule! {
    /// ## What it finds
    /// An environment variable read by a name that comes from a tool argument or a request:
    /// `process.env[args.name]`, `os.environ[key]`, `os.getenv(arguments["var"])`. A name
    /// checked against a fixed list first is not reported. A name led by a constant prefix of
    /// the server's own (`MCP_FORMATTER_{agent}`) lets the input choose only within that
    /// namespace: LOW. A constant suffix (`{service}_API_KEY`) still reaches other services'
    /// keys: HIGH.
    ///
    /// ## Why it matters
    /// The model — or an instruction injected into what the model reads — picks which of the
    /// operator's secrets the server uses or returns: `AWS_SECRET_ACCESS_KEY` instead of the
    /// intended `WEATHER_API_KEY`. The environment of an MCP server holds every credential the
    /// user configured for it.
    ///
    /// ## Vulnerable example
    /// ```js
    /// server.tool("call_api", { service: z.string() }, async ({ service }) => {
    ///   const key = process.env[`${service.toUpperCase()}_API_KEY`];
    ///   …
    /// });
    /// ```
    ///
    /// ## Fixed example
    /// ```js
    /// const KEYS = { weather: process.env.WEATHER_API_KEY, maps: process.env.MAPS_API_KEY };
    /// server.tool("call_api", { service: z.enum(["weather", "maps"]) }, async ({ service }) => {
    ///   const key = KEYS[service];
    ///   …
    /// });
    /// ```
    ///
    /// ## References
    /// - https://cwe.mitre.org/data/definitions/639.html
    pub struct ModelChosenCredential {
        code: "CRED-004",
        name: "model-chosen-credential",
        axis: Credentials,
        severity: High,
        cwe: Some("CWE-639"),
    }
}

impl Rule for ModelChosenCredential {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Findings) {
        let groups = super::flow_groups(project, &[SinkKind::EnvName], false);
        super::report_flow_groups(
            out,
            groups,
            "map the allowed choices to variables in code (a fixed object or `match`), and read each variable once at startup",
            |flows| {
                let open: Vec<_> = flows
                    .iter()
                    .filter(|f| !f.guards.any(SinkKind::EnvName.sanitised_by()))
                    .copied()
                    .collect();
                let first = open.first()?;
                let mut severity = match first.origin.kind {
                    OriginKind::UnknownCaller => Severity::Info,
                    OriginKind::NetworkResponse | OriginKind::Exception | OriginKind::Unchecked => {
                        Severity::Medium
                    }
                    _ => Severity::High,
                };
                // A name led by the server's own prefix (`MCP_FORMATTER_{agent}`): the input
                // chooses among that namespace's variables, not the operator's other secrets.
                let prefix = first
                    .detail
                    .as_deref()
                    .and_then(|d| d.strip_prefix("prefix:"))
                    .filter(|p| p.len() >= 4);
                let mut message = format!(
                    "{} chooses which environment variable is read",
                    first.origin.what
                );
                if let Some(p) = prefix {
                    if severity == Severity::High {
                        severity = Severity::Low;
                    }
                    message.push_str(&format!(" (among those named `{p}…`)"));
                }
                Some((message, severity))
            },
        );
    }
}
