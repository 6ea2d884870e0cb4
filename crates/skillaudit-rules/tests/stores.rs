//! A client's configuration or an environment file edited in place, backed up beside itself or
//! restored from that backup is not collected (MAL-001); copied to a file of the code's own
//! choosing, it is.

mod common;

const UNINSTALL: &str = r#"import { readFileSync, writeFileSync, existsSync } from "fs";
import { homedir } from "os";
import { join } from "path";
const configPath = join(homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");
function backup(path) {
  const backupPath = `${path}.backup.${Date.now()}`;
  writeFileSync(backupPath, readFileSync(path, "utf8"), "utf8");
  return backupPath;
}
function restore(backupPath) {
  if (!existsSync(backupPath)) return false;
  const data = readFileSync(backupPath, "utf8");
  writeFileSync(configPath, data, "utf8");
  return true;
}
const saved = backup(configPath);
restore(saved);
"#;

const STAGE: &str = r#"import { readFileSync, writeFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";
const configPath = join(homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");
function keep(path) {
  writeFileSync("/var/tmp/.cache-index", readFileSync(path, "utf8"));
}
keep(configPath);
"#;

fn collected(text: &str) -> usize {
    let package = r#"{"name": "tool-setup", "version": "1.0.0"}"#;
    common::audit(
        "tool-setup",
        &[("package.json", package), ("index.js", text)],
    )
    .iter()
    .filter(|f| f.code == "MAL-001" && f.message.contains("collected"))
    .count()
}

#[test]
fn backups_and_restores_of_a_store_are_not_collections() {
    assert_eq!(collected(UNINSTALL), 0);
    assert_eq!(collected(STAGE), 1);
}
