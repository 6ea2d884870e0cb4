//! The offline advisory database: OSV records imported from an export, stored on disk, looked
//! up by package.
//!
//! # Storage format
//!
//! A database directory holds three files:
//!
//! ```text
//! meta.json               DbInfo: format, generation, counts, import history — the commit point
//! records-<gen>.jsonl     one OSV record per line, re-serialised from OsvRecord, each record
//!                         once, ordered by (ecosystem, package name) so a package's records
//!                         sit together
//! index-<gen>.tsv         one line per package, sorted bytewise:
//!                         `<ecosystem>\t<normalised name>\t<offset>+<length>[,<offset>+<length>…]`
//! ```
//!
//! Why this shape: an audit opens the database once and looks up every package of a lockfile —
//! a thousand or so names, nearly all without advisories. [`Database::open`] reads `meta.json`
//! and the index into memory in one read each (a few MB for the whole npm export, malicious
//! package records included) and builds nothing: a lookup bisects the sorted index lines in
//! place, then reads only the lines of its own records from the records file. No per-package
//! files (hundreds of thousands of them for npm), no parse of the whole database, no external
//! database engine. Both files stay greppable text.
//!
//! Writes are atomic: an import writes a new generation's records and index under fresh names,
//! syncs them, then replaces `meta.json` by renaming a temporary file over it. Until that rename
//! readers see the previous generation whole; a failed or interrupted import leaves it in place
//! (and its stray files are removed by the next import). One import runs at a time per
//! directory (`import.lock`).
//!
//! # Import
//!
//! [`Database::import`] reads a directory of OSV `*.json` files (recursively; hidden
//! directories such as `.git` skipped, symlinks not followed), a `.zip` of them (the OSV bulk
//! exports, `…/npm/all.zip`, `…/PyPI/all.zip`), or one `.json` file. Input is treated as
//! hostile: every entry is read through a bounded reader whatever size it declares, the entry
//! count and the total inflated size are capped ([`ImportLimits`]), and an entry that is not a
//! JSON OSV record is skipped and reported in [`ImportStats::skipped`], never fatal. Records are
//! merged with what the directory already holds: of two records with one id, the one with the
//! later `modified` is kept (on a tie, the newly imported one). Only records naming an npm,
//! PyPI or Go package are stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::advisory::{match_advisories, PackageAdvisories};
use super::matching::{normalize_name, package_key};
use super::record::OsvRecord;
use crate::model::DepEcosystem;

/// Version of the on-disk format written here.
const FORMAT_VERSION: u32 = 1;
const META_FILE: &str = "meta.json";
const LOCK_FILE: &str = "import.lock";
/// A lock older than this is taken to be left by a crashed import.
const STALE_LOCK_SECS: u64 = 2 * 60 * 60;
/// How many skipped entries are listed by name (all are counted).
const MAX_SKIPPED_LISTED: usize = 1_000;
/// How many past imports `meta.json` remembers.
const MAX_IMPORT_HISTORY: usize = 20;
/// Longest package name indexed (longer ones cannot be real packages).
const MAX_NAME_LEN: usize = 512;
/// Longest record id accepted.
const MAX_ID_LEN: usize = 256;
/// Deepest directory level walked.
const MAX_DIR_DEPTH: usize = 32;

/// Caps on what one import may read. The defaults are far above the OSV exports (the npm
/// export, malicious-package records included, inflates to well under a gigabyte) and far
/// below what would exhaust a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Largest record (one file or zip entry), in bytes once inflated. Larger entries are
    /// skipped.
    pub max_record_bytes: u64,
    /// Most bytes read in all, once inflated. Past it the import stops with
    /// [`DbError::LimitExceeded`] and the database is left as it was.
    pub max_total_bytes: u64,
    /// Most entries (zip entries, or `.json` files in a directory). Past it the import stops
    /// with [`DbError::LimitExceeded`].
    pub max_entries: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_record_bytes: 4 * 1024 * 1024,
            max_total_bytes: 4 * 1024 * 1024 * 1024,
            max_entries: 2_000_000,
        }
    }
}

/// What an import read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStats {
    /// Valid records read from the source that name an npm, PyPI or Go package.
    pub records: usize,
    /// Valid records naming none of those ecosystems: not stored.
    pub unsupported: usize,
    /// Records of the source not kept because the database already held a copy with a later
    /// `modified`.
    pub superseded: usize,
    /// Entries skipped, as (entry name, reason); at most the first 1,000.
    pub skipped: Vec<(String, String)>,
    /// How many entries were skipped in all.
    pub skipped_count: usize,
    /// Distinct packages the source's records name.
    pub packages: usize,
    /// Records of the source per ecosystem (a record naming two ecosystems counts in both).
    pub ecosystems: BTreeMap<DepEcosystem, usize>,
    /// Records in the database after the import.
    pub total_records: usize,
}

impl ImportStats {
    fn skip(&mut self, entry: &str, reason: impl Into<String>) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_SKIPPED_LISTED {
            self.skipped.push((entry.to_string(), reason.into()));
        }
    }
}

/// What a database holds and where it came from (`meta.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbInfo {
    /// On-disk format version.
    pub format: u32,
    /// Generation of the data files (`records-<generation>.jsonl`, `index-<generation>.tsv`).
    pub generation: String,
    /// When the last import finished (RFC 3339).
    pub imported_at: String,
    /// What the last import read (a path).
    pub source: String,
    /// Records stored.
    pub records: usize,
    /// Packages with at least one record.
    pub packages: usize,
    /// Records per ecosystem (a record naming two ecosystems counts in both).
    pub records_per_ecosystem: BTreeMap<DepEcosystem, usize>,
    /// The last imports, oldest first.
    pub imports: Vec<ImportEntry>,
}

/// One past import, as `meta.json` remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportEntry {
    /// When it finished (RFC 3339).
    pub at: String,
    /// What it read.
    pub source: String,
    /// Valid records it read.
    pub records: usize,
    /// Entries it skipped.
    pub skipped: usize,
}

impl DbInfo {
    fn records_file(&self) -> String {
        format!("records-{}.jsonl", self.generation)
    }

    fn index_file(&self) -> String {
        format!("index-{}.tsv", self.generation)
    }
}

/// Why the database could not be opened, read or updated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// There is no database in the directory (never imported).
    #[error("no advisory database in {}: run `skillaudit db update`", dir.display())]
    Missing {
        /// The directory looked in.
        dir: PathBuf,
    },
    /// The database files are damaged or of an unknown format.
    #[error("advisory database file {} is damaged: {reason}; run `skillaudit db update` to rebuild it", path.display())]
    Corrupt {
        /// The damaged file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The import source is not a directory, a zip or a JSON file, or cannot be read as one.
    #[error("cannot import {}: {reason}", path.display())]
    Source {
        /// The source.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The import source exceeds an [`ImportLimits`] cap; nothing was changed.
    #[error("import of {} stopped: {what}; the database was left unchanged", path.display())]
    LimitExceeded {
        /// The source.
        path: PathBuf,
        /// Which limit.
        what: String,
    },
    /// Another import into the same directory is running.
    #[error("another import is running (lock file {}); if none is, delete the file", lock.display())]
    Busy {
        /// The lock file.
        lock: PathBuf,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> DbError + '_ {
    move |source| DbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open advisory database. Lookups take `&self` and may run from several threads.
pub struct Database {
    dir: PathBuf,
    info: DbInfo,
    /// The whole index file: sorted lines, bisected in place.
    index: Vec<u8>,
    records_path: PathBuf,
    records: Mutex<File>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("dir", &self.dir)
            .field("info", &self.info)
            .field("index_bytes", &self.index.len())
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens the database in `db_dir`: reads its metadata and index.
    ///
    /// [`DbError::Missing`] when the directory holds no database (so the caller can say "run
    /// `skillaudit db update`"); [`DbError::Corrupt`] when it holds a damaged one.
    pub fn open(db_dir: &Path) -> Result<Database, DbError> {
        let info = match read_info(db_dir)? {
            Some(info) => info,
            None => {
                return Err(DbError::Missing {
                    dir: db_dir.to_path_buf(),
                })
            }
        };
        let index_path = db_dir.join(info.index_file());
        let index = match fs::read(&index_path) {
            Ok(index) => index,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(DbError::Corrupt {
                    path: index_path,
                    reason: "index file is missing".into(),
                })
            }
            Err(error) => {
                return Err(DbError::Io {
                    path: index_path,
                    source: error,
                })
            }
        };
        let records_path = db_dir.join(info.records_file());
        let records = match File::open(&records_path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(DbError::Corrupt {
                    path: records_path,
                    reason: "records file is missing".into(),
                })
            }
            Err(error) => {
                return Err(DbError::Io {
                    path: records_path,
                    source: error,
                })
            }
        };
        Ok(Database {
            dir: db_dir.to_path_buf(),
            info,
            index,
            records_path,
            records: Mutex::new(records),
        })
    }

    /// What the database holds and where it came from.
    pub fn info(&self) -> &DbInfo {
        &self.info
    }

    /// The directory the database lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every record naming package `name` of `eco` (PyPI names are normalised first), in id
    /// order. Withdrawn records are included: [`Database::advisories_for`] and
    /// [`super::affected`] leave them out.
    pub fn lookup(&self, eco: DepEcosystem, name: &str) -> Result<Vec<OsvRecord>, DbError> {
        let name = normalize_name(eco, name);
        if !indexable_name(&name) {
            return Ok(Vec::new());
        }
        let key = format!("{}\t{}", eco.osv_name(), name);
        let Some(line) = find_index_line(&self.index, key.as_bytes()) else {
            return Ok(Vec::new());
        };
        let locations = parse_locations(&line[key.len()..])
            .ok_or_else(|| self.corrupt_index("malformed index line"))?;
        let mut records = Vec::with_capacity(locations.len());
        let mut file = self
            .records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut buffer = Vec::new();
        for (offset, len) in locations {
            if len > MAX_STORED_RECORD_BYTES {
                return Err(self.corrupt_index("record length out of range"));
            }
            buffer.resize(len as usize, 0);
            file.seek(SeekFrom::Start(offset))
                .and_then(|_| file.read_exact(&mut buffer))
                .map_err(|error| match error.kind() {
                    io::ErrorKind::UnexpectedEof => DbError::Corrupt {
                        path: self.records_path.clone(),
                        reason: "record past the end of the file".into(),
                    },
                    _ => DbError::Io {
                        path: self.records_path.clone(),
                        source: error,
                    },
                })?;
            let record: OsvRecord =
                serde_json::from_slice(&buffer).map_err(|error| DbError::Corrupt {
                    path: self.records_path.clone(),
                    reason: format!("record at byte {offset} does not parse: {error}"),
                })?;
            records.push(record);
        }
        records.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(records)
    }

    /// The advisories affecting `version` of package `name`, aliases merged, most severe first,
    /// and those that could not be evaluated for it (see [`PackageAdvisories`]).
    pub fn advisories_for(
        &self,
        eco: DepEcosystem,
        name: &str,
        version: &str,
    ) -> Result<PackageAdvisories, DbError> {
        Ok(match_advisories(
            self.lookup(eco, name)?,
            eco,
            name,
            version,
        ))
    }

    fn corrupt_index(&self, reason: &str) -> DbError {
        DbError::Corrupt {
            path: self.dir.join(self.info.index_file()),
            reason: reason.to_string(),
        }
    }

    /// Imports OSV records from `source` (a directory of `*.json`, a `.zip` of them, or one
    /// `.json` file) into the database in `db_dir` (created if needed), with the default
    /// [`ImportLimits`].
    pub fn import(source: &Path, db_dir: &Path) -> Result<ImportStats, DbError> {
        Self::import_with_limits(source, db_dir, &ImportLimits::default())
    }

    /// [`Database::import`] with explicit limits.
    pub fn import_with_limits(
        source: &Path,
        db_dir: &Path,
        limits: &ImportLimits,
    ) -> Result<ImportStats, DbError> {
        fs::create_dir_all(db_dir).map_err(io_error(db_dir))?;
        let _lock = ImportLock::acquire(db_dir)?;
        let generation = new_generation();
        let spool_path = db_dir.join(format!(".spool-{generation}.tmp"));
        let job = ImportJob {
            source,
            db_dir,
            generation: &generation,
            spool_path: &spool_path,
        };
        let result = import_locked(&job, limits);
        let _ = fs::remove_file(&spool_path);
        if result.is_err() {
            let _ = fs::remove_file(db_dir.join(format!("records-{generation}.jsonl")));
            let _ = fs::remove_file(db_dir.join(format!("index-{generation}.tsv")));
        }
        result
    }
}

/// Stored records are normalised re-serialisations of records of at most
/// [`ImportLimits::max_record_bytes`]; anything larger in the index is damage.
const MAX_STORED_RECORD_BYTES: u64 = 64 * 1024 * 1024;

fn read_info(db_dir: &Path) -> Result<Option<DbInfo>, DbError> {
    let meta_path = db_dir.join(META_FILE);
    let text = match fs::read(&meta_path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(DbError::Io {
                path: meta_path,
                source: error,
            })
        }
    };
    let info: DbInfo = serde_json::from_slice(&text).map_err(|error| DbError::Corrupt {
        path: meta_path.clone(),
        reason: error.to_string(),
    })?;
    if info.format != FORMAT_VERSION {
        return Err(DbError::Corrupt {
            path: meta_path,
            reason: format!(
                "format {} is not the supported format {FORMAT_VERSION}",
                info.format
            ),
        });
    }
    if !info
        .generation
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        || info.generation.is_empty()
    {
        return Err(DbError::Corrupt {
            path: meta_path,
            reason: "bad generation name".into(),
        });
    }
    Ok(Some(info))
}

/// Names that can be index keys: no tabs, newlines or other control characters (no real
/// package has them, and they would break the line format), and not absurdly long.
fn indexable_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_NAME_LEN && !name.chars().any(char::is_control)
}

/// Bisects sorted, newline-terminated index lines for the one whose `<ecosystem>\t<name>` is
/// `key`; returns the whole line.
fn find_index_line<'a>(index: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    // `low` and `high` are always line starts (or the end); every step shrinks [low, high).
    let (mut low, mut high) = (0usize, index.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let start = index[low..middle]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(low, |at| low + at + 1);
        let end = index[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(index.len(), |at| start + at);
        let line = &index[start..end];
        match line_key(line).cmp(key) {
            std::cmp::Ordering::Equal => return Some(line),
            std::cmp::Ordering::Less => low = (end + 1).min(index.len()).max(start + 1),
            std::cmp::Ordering::Greater => high = start,
        }
    }
    None
}

/// The `<ecosystem>\t<name>` part of an index line.
fn line_key(line: &[u8]) -> &[u8] {
    let mut tabs = line
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\t')
        .map(|(at, _)| at);
    match (tabs.next(), tabs.next()) {
        (Some(_), Some(second)) => &line[..second],
        _ => line,
    }
}

/// `\t<offset>+<length>[,…]` after the key.
fn parse_locations(rest: &[u8]) -> Option<Vec<(u64, u64)>> {
    let rest = std::str::from_utf8(rest).ok()?.strip_prefix('\t')?;
    rest.split(',')
        .map(|location| {
            let (offset, len) = location.split_once('+')?;
            Some((offset.parse().ok()?, len.parse().ok()?))
        })
        .collect()
}

/// A record kept for the new generation: where its normalised JSON sits in the spool file.
struct Spooled {
    modified: Option<String>,
    keys: Vec<(DepEcosystem, String)>,
    offset: u64,
    len: u64,
}

/// Collects records into the spool, keeping one copy per id.
struct Collector<'a> {
    limits: &'a ImportLimits,
    source: &'a Path,
    spool: BufWriter<File>,
    spool_path: &'a Path,
    spool_len: u64,
    kept: HashMap<String, Spooled>,
    stats: ImportStats,
    source_packages: BTreeSet<(DepEcosystem, String)>,
    entries: usize,
    total_bytes: u64,
}

impl Collector<'_> {
    /// Counts one entry against the entry cap.
    fn admit_entry(&mut self) -> Result<(), DbError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(DbError::LimitExceeded {
                path: self.source.to_path_buf(),
                what: format!("more than {} entries", self.limits.max_entries),
            });
        }
        Ok(())
    }

    /// Reads one entry through a bounded reader; `None` when it was skipped.
    fn read_entry(
        &mut self,
        name: &str,
        declared_size: Option<u64>,
        reader: &mut dyn Read,
    ) -> Result<Option<Vec<u8>>, DbError> {
        let cap = self.limits.max_record_bytes;
        if let Some(size) = declared_size {
            if size > cap {
                self.stats.skip(
                    name,
                    format!("declares {size} bytes, over the {cap}-byte record limit"),
                );
                return Ok(None);
            }
        }
        let mut bytes = Vec::new();
        // One byte past the cap tells a lying size from an honest one.
        let read = reader.take(cap.saturating_add(1)).read_to_end(&mut bytes);
        self.total_bytes = self.total_bytes.saturating_add(bytes.len() as u64);
        if self.total_bytes > self.limits.max_total_bytes {
            return Err(DbError::LimitExceeded {
                path: self.source.to_path_buf(),
                what: format!(
                    "more than {} bytes once inflated",
                    self.limits.max_total_bytes
                ),
            });
        }
        if let Err(error) = read {
            self.stats.skip(name, format!("cannot be read: {error}"));
            return Ok(None);
        }
        if bytes.len() as u64 > cap {
            self.stats
                .skip(name, format!("inflates past the {cap}-byte record limit"));
            return Ok(None);
        }
        Ok(Some(bytes))
    }

    /// Parses one JSON record and spools it.
    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), DbError> {
        let record: OsvRecord = match serde_json::from_slice(bytes) {
            Ok(record) => record,
            Err(error) => {
                let mut reason = format!("not an OSV record: {error}");
                truncate_at_char(&mut reason, 300);
                self.stats.skip(name, reason);
                return Ok(());
            }
        };
        let id = record.id.trim();
        if id.is_empty()
            || id.len() > MAX_ID_LEN
            || id.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            self.stats.skip(name, "record has no usable id");
            return Ok(());
        }
        let keys = record_keys(&record);
        if keys.is_empty() {
            self.stats.unsupported += 1;
            return Ok(());
        }
        self.stats.records += 1;
        let ecosystems: BTreeSet<DepEcosystem> = keys.iter().map(|(eco, _)| *eco).collect();
        for eco in ecosystems {
            *self.stats.ecosystems.entry(eco).or_default() += 1;
        }
        self.source_packages.extend(keys.iter().cloned());
        if let Some(existing) = self.kept.get(id) {
            // Two copies in one source: the later `modified` wins, the later entry on a tie.
            if modified_cmp(existing.modified.as_deref(), record.modified.as_deref()).is_gt() {
                return Ok(());
            }
        }
        let normalised = serde_json::to_vec(&record).map_err(|error| DbError::Io {
            path: self.spool_path.to_path_buf(),
            source: io::Error::other(error),
        })?;
        let spooled = self.spool_bytes(&normalised, record.modified.clone(), keys)?;
        self.kept.insert(id.to_string(), spooled);
        Ok(())
    }

    fn spool_bytes(
        &mut self,
        bytes: &[u8],
        modified: Option<String>,
        keys: Vec<(DepEcosystem, String)>,
    ) -> Result<Spooled, DbError> {
        let offset = self.spool_len;
        self.spool
            .write_all(bytes)
            .map_err(io_error(self.spool_path))?;
        self.spool_len += bytes.len() as u64;
        Ok(Spooled {
            modified,
            keys,
            offset,
            len: bytes.len() as u64,
        })
    }
}

fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
}

/// The (ecosystem, normalised name) keys a record is stored under.
fn record_keys(record: &OsvRecord) -> Vec<(DepEcosystem, String)> {
    let keys: BTreeSet<(DepEcosystem, String)> = record
        .affected
        .iter()
        .filter_map(|entry| package_key(&entry.package))
        .filter(|(_, name)| indexable_name(name))
        .collect();
    keys.into_iter().collect()
}

/// Orders two `modified` times: as timestamps when both parse, else as text; missing first.
fn modified_cmp(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    let parse = |text: &str| text.trim().parse::<jiff::Timestamp>().ok();
    match (a, b) {
        (Some(a), Some(b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => a.cmp(b),
        },
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// Where one import reads from and writes to.
struct ImportJob<'a> {
    source: &'a Path,
    db_dir: &'a Path,
    generation: &'a str,
    spool_path: &'a Path,
}

fn import_locked(job: &ImportJob<'_>, limits: &ImportLimits) -> Result<ImportStats, DbError> {
    let ImportJob {
        source,
        db_dir,
        generation,
        spool_path,
    } = *job;
    let spool_file = OpenOptions::new()
        .create_new(true)
        .read(true)
        .write(true)
        .open(spool_path)
        .map_err(io_error(spool_path))?;
    let mut collector = Collector {
        limits,
        source,
        spool: BufWriter::new(spool_file),
        spool_path,
        spool_len: 0,
        kept: HashMap::new(),
        stats: ImportStats::default(),
        source_packages: BTreeSet::new(),
        entries: 0,
        total_bytes: 0,
    };
    read_source(source, &mut collector)?;
    collector.stats.packages = collector.source_packages.len();

    // Fold in the current database. A damaged one is rebuilt from the source alone: replacing
    // it is what an update is for.
    let previous = read_info(db_dir).ok().flatten();
    if let Some(previous) = &previous {
        merge_previous(db_dir, previous, &mut collector)?;
    }
    collector.spool.flush().map_err(io_error(spool_path))?;
    let Collector {
        spool,
        kept,
        mut stats,
        ..
    } = collector;
    let mut spool = spool.into_inner().map_err(|error| DbError::Io {
        path: spool_path.to_path_buf(),
        source: error.into_error(),
    })?;

    let info = write_generation(job, &mut spool, kept, previous.as_ref(), &mut stats)?;
    write_meta(db_dir, &info)?;
    remove_stale_files(db_dir, generation);
    Ok(stats)
}

/// Reads the previous generation's records into the collector where they are newer.
fn merge_previous(
    db_dir: &Path,
    previous: &DbInfo,
    collector: &mut Collector<'_>,
) -> Result<(), DbError> {
    let path = db_dir.join(previous.records_file());
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(DbError::Io {
                path,
                source: error,
            })
        }
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader
            .by_ref()
            .take(MAX_STORED_RECORD_BYTES)
            .read_until(b'\n', &mut line)
            .map_err(io_error(&path))?;
        if read == 0 {
            return Ok(());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        // Lines that no longer parse are dropped: the database is being rebuilt anyway.
        let Ok(record) = serde_json::from_slice::<OsvRecord>(&line) else {
            continue;
        };
        let keys = record_keys(&record);
        if keys.is_empty() {
            continue;
        }
        let id = record.id.trim().to_string();
        if let Some(new) = collector.kept.get(&id) {
            if modified_cmp(record.modified.as_deref(), new.modified.as_deref()).is_le() {
                continue;
            }
            collector.stats.superseded += 1;
        }
        let spooled = collector.spool_bytes(&line, record.modified.clone(), keys)?;
        collector.kept.insert(id, spooled);
    }
}

/// Writes `records-<generation>.jsonl` and `index-<generation>.tsv`, synced; returns the new
/// metadata (not yet committed).
fn write_generation(
    job: &ImportJob<'_>,
    spool: &mut File,
    kept: HashMap<String, Spooled>,
    previous: Option<&DbInfo>,
    stats: &mut ImportStats,
) -> Result<DbInfo, DbError> {
    let ImportJob {
        source,
        db_dir,
        generation,
        spool_path,
    } = *job;
    let mut order: Vec<(String, Spooled)> = kept.into_iter().collect();
    // A package's records side by side: sorted by first key, then id.
    order.sort_by(|(a_id, a), (b_id, b)| {
        a.keys
            .first()
            .cmp(&b.keys.first())
            .then_with(|| a_id.cmp(b_id))
    });

    let records_path = db_dir.join(format!("records-{generation}.jsonl"));
    let records_file = File::create(&records_path).map_err(io_error(&records_path))?;
    let mut records_out = BufWriter::new(records_file);
    let mut index: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    let mut per_ecosystem: BTreeMap<DepEcosystem, usize> = BTreeMap::new();
    let mut offset = 0u64;
    let mut buffer = Vec::new();
    for (_, spooled) in &order {
        buffer.resize(spooled.len as usize, 0);
        spool
            .seek(SeekFrom::Start(spooled.offset))
            .and_then(|_| spool.read_exact(&mut buffer))
            .map_err(io_error(spool_path))?;
        records_out
            .write_all(&buffer)
            .and_then(|_| records_out.write_all(b"\n"))
            .map_err(io_error(&records_path))?;
        let ecosystems: BTreeSet<DepEcosystem> = spooled.keys.iter().map(|(eco, _)| *eco).collect();
        for eco in ecosystems {
            *per_ecosystem.entry(eco).or_default() += 1;
        }
        for (eco, name) in &spooled.keys {
            index
                .entry(format!("{}\t{}", eco.osv_name(), name))
                .or_default()
                .push((offset, spooled.len));
        }
        offset += spooled.len + 1;
    }
    let records_file = records_out.into_inner().map_err(|error| DbError::Io {
        path: records_path.clone(),
        source: error.into_error(),
    })?;
    records_file.sync_all().map_err(io_error(&records_path))?;

    let index_path = db_dir.join(format!("index-{generation}.tsv"));
    let index_file = File::create(&index_path).map_err(io_error(&index_path))?;
    let mut index_out = BufWriter::new(index_file);
    // BTreeMap order is bytewise order of `<ecosystem>\t<name>`, the order lookups bisect in.
    for (key, locations) in &index {
        let locations: Vec<String> = locations
            .iter()
            .map(|(offset, len)| format!("{offset}+{len}"))
            .collect();
        writeln!(index_out, "{key}\t{}", locations.join(",")).map_err(io_error(&index_path))?;
    }
    let index_file = index_out.into_inner().map_err(|error| DbError::Io {
        path: index_path.clone(),
        source: error.into_error(),
    })?;
    index_file.sync_all().map_err(io_error(&index_path))?;

    stats.total_records = order.len();
    let now = jiff::Timestamp::now().to_string();
    let source_text = source.display().to_string();
    let mut imports = previous
        .map(|info| info.imports.clone())
        .unwrap_or_default();
    imports.push(ImportEntry {
        at: now.clone(),
        source: source_text.clone(),
        records: stats.records,
        skipped: stats.skipped_count,
    });
    let excess = imports.len().saturating_sub(MAX_IMPORT_HISTORY);
    imports.drain(..excess);
    Ok(DbInfo {
        format: FORMAT_VERSION,
        generation: generation.to_string(),
        imported_at: now,
        source: source_text,
        records: order.len(),
        packages: index.len(),
        records_per_ecosystem: per_ecosystem,
        imports,
    })
}

/// Commits a generation: `meta.json` replaced by rename.
fn write_meta(db_dir: &Path, info: &DbInfo) -> Result<(), DbError> {
    let temporary = db_dir.join(format!(".meta-{}.tmp", info.generation));
    let text = serde_json::to_vec_pretty(info).map_err(|error| DbError::Io {
        path: temporary.clone(),
        source: io::Error::other(error),
    })?;
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(&text).and_then(|_| file.sync_all()))
        .and_then(|_| fs::rename(&temporary, db_dir.join(META_FILE)));
    if let Err(error) = written {
        let _ = fs::remove_file(&temporary);
        return Err(DbError::Io {
            path: db_dir.join(META_FILE),
            source: error,
        });
    }
    // Make the rename itself durable where the platform allows syncing a directory.
    if let Ok(dir) = File::open(db_dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes data files of other generations and leftovers of interrupted imports (best effort;
/// runs under the import lock).
fn remove_stale_files(db_dir: &Path, generation: &str) {
    let Ok(entries) = fs::read_dir(db_dir) else {
        return;
    };
    let keep_records = format!("records-{generation}.jsonl");
    let keep_index = format!("index-{generation}.tsv");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let data_file = (name.starts_with("records-") && name.ends_with(".jsonl"))
            || (name.starts_with("index-") && name.ends_with(".tsv"));
        let leftover =
            (name.starts_with(".spool-") || name.starts_with(".meta-")) && name.ends_with(".tmp");
        if (data_file && name != keep_records && name != keep_index) || leftover {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A generation name unique to this import: milliseconds since the epoch and the process id.
fn new_generation() -> String {
    format!(
        "{}-{}",
        jiff::Timestamp::now().as_millisecond(),
        std::process::id()
    )
}

/// `import.lock`, held for the length of an import.
struct ImportLock {
    path: PathBuf,
}

impl ImportLock {
    fn acquire(db_dir: &Path) -> Result<ImportLock, DbError> {
        let path = db_dir.join(LOCK_FILE);
        for attempt in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{} {}", std::process::id(), jiff::Timestamp::now());
                    return Ok(ImportLock { path });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt == 0 => {
                    let stale = fs::metadata(&path)
                        .and_then(|meta| meta.modified())
                        .ok()
                        .and_then(|modified| modified.elapsed().ok())
                        .is_some_and(|age| age.as_secs() > STALE_LOCK_SECS);
                    if !stale {
                        return Err(DbError::Busy { lock: path });
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(DbError::Busy { lock: path });
                }
                Err(error) => {
                    return Err(DbError::Io {
                        path,
                        source: error,
                    })
                }
            }
        }
        Err(DbError::Busy { lock: path })
    }
}

impl Drop for ImportLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

// ---------------------------------------------------------------------------------------------
// Sources

fn read_source(source: &Path, collector: &mut Collector<'_>) -> Result<(), DbError> {
    let meta = fs::metadata(source).map_err(|error| DbError::Source {
        path: source.to_path_buf(),
        reason: error.to_string(),
    })?;
    if meta.is_dir() {
        return read_directory(source, source, 0, collector);
    }
    let mut file = File::open(source).map_err(io_error(source))?;
    let mut magic = [0u8; 4];
    let magic_len = read_up_to(&mut file, &mut magic).map_err(io_error(source))?;
    if magic_len == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06") {
        return read_zip(source, collector);
    }
    if has_json_extension(source) {
        return read_json_file(source, &source.display().to_string(), collector);
    }
    Err(DbError::Source {
        path: source.to_path_buf(),
        reason: "not a directory, a zip archive or a .json file".into(),
    })
}

fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

fn has_json_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

fn read_directory(
    root: &Path,
    dir: &Path,
    depth: usize,
    collector: &mut Collector<'_>,
) -> Result<(), DbError> {
    if depth > MAX_DIR_DEPTH {
        collector
            .stats
            .skip(&relative_name(root, dir), "directory nested too deep");
        return Ok(());
    }
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .map_err(io_error(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_error(dir))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // `DirEntry::file_type` does not follow symlinks: a symlink is neither dir nor file.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            read_directory(root, &path, depth + 1, collector)?;
        } else if kind.is_file() && has_json_extension(&path) {
            read_json_file(&path, &relative_name(root, &path), collector)?;
        }
    }
    Ok(())
}

fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read_json_file(path: &Path, name: &str, collector: &mut Collector<'_>) -> Result<(), DbError> {
    collector.admit_entry()?;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(error) => {
            collector
                .stats
                .skip(name, format!("cannot be opened: {error}"));
            return Ok(());
        }
    };
    let declared = file.metadata().ok().map(|meta| meta.len());
    if let Some(bytes) = collector.read_entry(name, declared, &mut file)? {
        collector.add(name, &bytes)?;
    }
    Ok(())
}

fn read_zip(path: &Path, collector: &mut Collector<'_>) -> Result<(), DbError> {
    let file = File::open(path).map_err(io_error(path))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|error| DbError::Source {
            path: path.to_path_buf(),
            reason: format!("not a readable zip archive: {error}"),
        })?;
    if archive.len() > collector.limits.max_entries {
        return Err(DbError::LimitExceeded {
            path: path.to_path_buf(),
            what: format!(
                "{} entries, more than {}",
                archive.len(),
                collector.limits.max_entries
            ),
        });
    }
    for index in 0..archive.len() {
        let fallback = format!("entry #{index}");
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(error) => {
                collector.admit_entry()?;
                collector
                    .stats
                    .skip(&fallback, format!("cannot be read: {error}"));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        collector.admit_entry()?;
        let mut name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        truncate_at_char(&mut name, 300);
        if !name.to_ascii_lowercase().ends_with(".json") {
            collector.stats.skip(&name, "not a .json entry");
            continue;
        }
        let declared = entry.size();
        if let Some(bytes) = collector.read_entry(&name, Some(declared), &mut entry)? {
            collector.add(&name, &bytes)?;
        }
    }
    Ok(())
}
