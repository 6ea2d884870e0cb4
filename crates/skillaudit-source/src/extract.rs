//! Safe unpacking of hostile archives (tar, tar.gz, zip and the zip-based wheel and MCP bundle
//! formats).
//!
//! Written by hand on top of the `tar`, `flate2` and `zip` readers rather than their `unpack`
//! helpers, so that every rule below holds whatever the archive says:
//! - nothing is written outside the extraction folder: names with `..`, absolute paths, Windows
//!   drive and UNC paths are refused;
//! - links (symbolic and hard) and device, FIFO and other special entries are recorded, never
//!   created, so the extraction folder never contains anything that points out of it;
//! - sizes are counted on the bytes actually produced, never taken from headers: a file over
//!   `max_file_bytes` is dropped, and decompression stops past `max_total_bytes`, past
//!   `max_entries` entries, or when the output grows more than `max_ratio` times faster than the
//!   compressed input (a decompression bomb);
//! - permissions are only ever 0o644 or 0o755 (no setuid, setgid, sticky or world-writable bits);
//! - a truncated or corrupt archive keeps what was read and says where it stopped.
//!
//! Every refusal becomes a [`Skipped`] entry naming the archive entry and the reason.

use crate::error::SourceError;
use skillaudit_core::Skipped;
use std::cell::Cell;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

/// Bounds on what one archive may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Entries read before extraction stops (directories and refused entries count).
    pub max_entries: usize,
    /// Largest single file written; larger files are left out and recorded.
    pub max_file_bytes: u64,
    /// Most bytes decompressed from one archive (tar: the whole stream; zip: all entries read).
    pub max_total_bytes: u64,
    /// Largest accepted ratio of decompressed to compressed bytes, checked once more than
    /// [`RATIO_GRACE_BYTES`] have been produced (tar.gz: over the whole stream; zip: per entry).
    pub max_ratio: u64,
}

impl Default for ExtractLimits {
    /// Generous for real packages (the largest published MCP servers are a few thousand files and
    /// tens of MiB), small enough that a bomb cannot fill a disk.
    fn default() -> Self {
        ExtractLimits {
            max_entries: 50_000,
            max_file_bytes: 64 * 1024 * 1024,
            max_total_bytes: 1024 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// Output below this size is never judged by its compression ratio: small, very repetitive files
/// (lock files, fixtures, zero-filled assets) legitimately compress hundreds of times.
pub const RATIO_GRACE_BYTES: u64 = 1024 * 1024;

/// What an extraction produced.
#[derive(Debug)]
pub struct Extraction {
    /// The folder to audit: the extraction folder, or its only top-level directory
    /// (`package/` of an npm tarball, `name-version/` of an sdist).
    pub root: PathBuf,
    /// Entries that were refused or could not be written, and why.
    pub skipped: Vec<Skipped>,
    /// Regular files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Archive formats recognised from their first bytes (the file name is only a fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    TarGz,
    Tar,
    Zip,
}

/// Unpacks `archive` into `dest` (an existing, empty folder that nobody else writes to), within
/// `limits`. Fails only when nothing at all could be read from the archive.
pub fn extract_archive(
    archive: &Path,
    dest: &Path,
    limits: &ExtractLimits,
) -> Result<Extraction, SourceError> {
    let format = sniff_format(archive)?;
    let label = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| archive.display().to_string());
    let mut sink = Sink::new(dest, label, limits);
    let outcome = match format {
        Format::TarGz | Format::Tar => extract_tar(archive, format, &mut sink),
        Format::Zip => extract_zip(archive, &mut sink),
    };
    if let Err(reason) = outcome {
        return Err(SourceError::Archive {
            path: archive.to_path_buf(),
            reason,
        });
    }
    Ok(Extraction {
        root: single_top_level_dir(dest).unwrap_or_else(|| dest.to_path_buf()),
        skipped: sink.skipped,
        files: sink.files,
        bytes: sink.bytes,
    })
}

fn sniff_format(archive: &Path) -> Result<Format, SourceError> {
    let io_err = |e| SourceError::io(format!("cannot open {}", archive.display()), e);
    let mut head = Vec::with_capacity(512);
    File::open(archive)
        .map_err(io_err)?
        .take(512)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Format::TarGz);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(Format::Zip);
    }
    if head.get(257..262) == Some(b"ustar") {
        return Ok(Format::Tar);
    }
    let name = archive.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tar") {
        // Old (v7) tar headers carry no magic.
        return Ok(Format::Tar);
    }
    if [".zip", ".whl", ".mcpb", ".dxt"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return Ok(Format::Zip);
    }
    Err(SourceError::Archive {
        path: archive.to_path_buf(),
        reason: "not a gzip, tar or zip archive".to_string(),
    })
}

/// The only child of `dir` when it is a directory and there is nothing else.
fn single_top_level_dir(dir: &Path) -> Option<PathBuf> {
    let mut entries = fs::read_dir(dir).ok()?;
    let first = entries.next()?.ok()?;
    if entries.next().is_some() {
        return None;
    }
    // `file_type` does not follow links; none are ever created, but stay strict.
    first.file_type().ok()?.is_dir().then(|| first.path())
}

/// Why a name cannot be used as a path inside the extraction folder.
pub(crate) fn safe_relative_path(name: &str) -> Result<PathBuf, &'static str> {
    if name.contains('\0') {
        return Err("name contains a NUL byte");
    }
    // Backslashes are separators on Windows; treat them as such everywhere so that
    // `..\..\x` is caught as traversal rather than written as an odd file name.
    let normalized = name.replace('\\', "/");
    if normalized.starts_with("//") {
        return Err("UNC path");
    }
    if normalized.starts_with('/') {
        return Err("absolute path");
    }
    let bytes = normalized.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err("Windows drive path");
    }
    let mut path = PathBuf::new();
    for part in normalized.split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err("path traversal (`..` component)"),
            _ => path.push(part),
        }
    }
    // Belt and braces: what we built must be purely relative and normal.
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err("path is not a plain relative path");
    }
    Ok(path)
}

/// Why reading stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trip {
    TotalBytes,
    Ratio,
}

/// Byte counts shared between the compressed-side and decompressed-side readers of one stream.
#[derive(Default)]
struct StreamBudget {
    compressed: Cell<u64>,
    decompressed: Cell<u64>,
    tripped: Cell<Option<Trip>>,
}

/// Counts bytes read from the compressed file.
struct CountCompressed<R> {
    inner: R,
    budget: Rc<StreamBudget>,
}

impl<R: Read> Read for CountCompressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let budget = &self.budget;
        budget
            .compressed
            .set(budget.compressed.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// Enforces the total and ratio limits on a decompressed stream: every byte the tar reader
/// consumes (headers, file data, data of entries it skips) passes through here, so a bomb is cut
/// off however it is packaged.
struct GuardDecompressed<R> {
    inner: R,
    budget: Rc<StreamBudget>,
    limits: ExtractLimits,
    check_ratio: bool,
}

impl<R: Read> Read for GuardDecompressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let budget = &self.budget;
        if budget.tripped.get().is_some() {
            return Err(io::Error::other("archive limit reached"));
        }
        let n = self.inner.read(buf)?;
        let total = budget.decompressed.get().saturating_add(n as u64);
        budget.decompressed.set(total);
        if total > self.limits.max_total_bytes {
            budget.tripped.set(Some(Trip::TotalBytes));
            return Err(io::Error::other(
                "archive expands past the total size limit",
            ));
        }
        let compressed = budget.compressed.get().max(1);
        if self.check_ratio
            && total > RATIO_GRACE_BYTES
            && total / compressed > self.limits.max_ratio
        {
            budget.tripped.set(Some(Trip::Ratio));
            return Err(io::Error::other("compression ratio over the limit"));
        }
        Ok(n)
    }
}

/// Where extracted entries go, with the bookkeeping shared by the tar and zip readers.
struct Sink<'a> {
    dest: &'a Path,
    label: String,
    limits: &'a ExtractLimits,
    skipped: Vec<Skipped>,
    entries: usize,
    files: usize,
    bytes: u64,
}

/// How copying one file's bytes ended.
enum CopyEnd {
    Complete(u64),
    TooLarge,
    /// The entry's own check failed (zip: declared size or ratio), with a reason.
    Refused(String),
    Failed(io::Error),
}

impl<'a> Sink<'a> {
    fn new(dest: &'a Path, label: String, limits: &'a ExtractLimits) -> Self {
        Sink {
            dest,
            label,
            limits,
            skipped: Vec::new(),
            entries: 0,
            files: 0,
            bytes: 0,
        }
    }

    fn skip(&mut self, file: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            file: file.into(),
            reason: reason.into(),
            surface: None,
        });
    }

    /// Records a problem with the archive as a whole.
    fn skip_archive(&mut self, reason: impl Into<String>) {
        let label = self.label.clone();
        self.skip(label, reason);
    }

    /// Counts one more entry; false (and a record) once the entry limit is passed.
    fn admit_entry(&mut self) -> bool {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            let limit = self.limits.max_entries;
            self.skip_archive(format!(
                "more than {limit} entries: extraction stopped, the rest was not read"
            ));
            return false;
        }
        true
    }

    fn make_dir(&mut self, name: &str, rel: &Path) {
        if rel.as_os_str().is_empty() {
            return;
        }
        if let Err(err) = create_dirs(self.dest, rel) {
            self.skip(name, format!("cannot create directory: {err}"));
        }
    }

    /// Creates the file for `rel` (refusing to replace anything but a regular file).
    fn open_file(&mut self, name: &str, rel: &Path, executable: bool) -> Option<(File, PathBuf)> {
        if rel.as_os_str().is_empty() {
            self.skip(name, "empty file name");
            return None;
        }
        if let Some(parent) = rel.parent() {
            if let Err(err) = create_dirs(self.dest, parent) {
                self.skip(name, format!("cannot create parent directory: {err}"));
                return None;
            }
        }
        let path = self.dest.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => {
                // A later entry with the same name wins, as in tar itself.
                if let Err(err) = fs::remove_file(&path) {
                    self.skip(name, format!("cannot replace earlier entry: {err}"));
                    return None;
                }
            }
            Ok(_) => {
                self.skip(name, "a directory or other non-file already has this name");
                return None;
            }
            Err(_) => {}
        }
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // `create_new` (O_CREAT|O_EXCL) also refuses to open through a link at the final
            // component, should one ever exist.
            options.mode(if executable { 0o755 } else { 0o644 });
        }
        #[cfg(not(unix))]
        let _ = executable;
        match options.open(&path) {
            Ok(file) => Some((file, path)),
            Err(err) => {
                self.skip(name, format!("cannot create file: {err}"));
                None
            }
        }
    }

    /// Copies at most `max_file_bytes` (+1 to detect overflow) from `reader` into `out`, counting
    /// actual bytes; `check` may refuse the entry as bytes arrive.
    fn copy(
        &self,
        reader: &mut dyn Read,
        out: &mut File,
        check: &mut dyn FnMut(u64) -> Option<String>,
    ) -> CopyEnd {
        let mut buf = vec![0u8; 64 * 1024];
        let mut written: u64 = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return CopyEnd::Complete(written),
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return CopyEnd::Failed(err),
            };
            written = written.saturating_add(n as u64);
            if written > self.limits.max_file_bytes {
                return CopyEnd::TooLarge;
            }
            if let Some(reason) = check(written) {
                return CopyEnd::Refused(reason);
            }
            if let Err(err) = out.write_all(&buf[..n]) {
                return CopyEnd::Failed(err);
            }
        }
    }
}

/// `create_dir_all` for a path below `dest`, refusing to walk through anything but real
/// directories (a link there would be a way out).
fn create_dirs(dest: &Path, rel: &Path) -> io::Result<()> {
    let mut current = dest.to_path_buf();
    for part in rel.components() {
        current.push(part);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "a file with this name is in the way",
                ))
            }
            Err(_) => {
                fs::create_dir(&current)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    fs::set_permissions(&current, fs::Permissions::from_mode(0o755))?;
                }
            }
        }
    }
    Ok(())
}

fn is_executable(mode: u32) -> bool {
    mode & 0o111 != 0
}

fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

// ---------------------------------------------------------------------------------------------
// tar and tar.gz

fn extract_tar(archive: &Path, format: Format, sink: &mut Sink<'_>) -> Result<(), String> {
    let file = File::open(archive).map_err(|e| e.to_string())?;
    let budget = Rc::new(StreamBudget::default());
    let compressed = BufReader::new(CountCompressed {
        inner: file,
        budget: Rc::clone(&budget),
    });
    let decompressed: Box<dyn Read> = match format {
        Format::TarGz => Box::new(flate2::read::MultiGzDecoder::new(compressed)),
        _ => Box::new(compressed),
    };
    let guarded = GuardDecompressed {
        inner: decompressed,
        budget: Rc::clone(&budget),
        limits: *sink.limits,
        check_ratio: format == Format::TarGz,
    };
    let mut tar = tar::Archive::new(guarded);
    let entries = tar.entries().map_err(|e| e.to_string())?;
    let mut read_any = false;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                if let Some(trip) = budget.tripped.get() {
                    record_trip(sink, trip, &budget);
                    return Ok(());
                }
                if !read_any {
                    return Err(format!("not a readable tar archive: {err}"));
                }
                sink.skip_archive(format!(
                    "archive is truncated or corrupt; extraction stopped after {} entries: {err}",
                    sink.entries
                ));
                return Ok(());
            }
        };
        read_any = true;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader
                | tar::EntryType::XHeader
                | tar::EntryType::GNULongName
                | tar::EntryType::GNULongLink
        ) {
            // Metadata records the reader has already applied to the next entry.
            continue;
        }
        if !sink.admit_entry() {
            return Ok(());
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let rel = match safe_relative_path(&name) {
            Ok(rel) => rel,
            Err(reason) => {
                sink.skip(name, format!("refused: {reason}"));
                continue;
            }
        };
        match kind {
            tar::EntryType::Directory => sink.make_dir(&name, &rel),
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                // The entry's own size accounts for PAX size records and sparse files.
                let declared = entry.size();
                if declared > sink.limits.max_file_bytes {
                    sink.skip(
                        name,
                        format!(
                            "file of {} is over the {} per-file limit",
                            human_bytes(declared),
                            human_bytes(sink.limits.max_file_bytes)
                        ),
                    );
                    continue;
                }
                let executable = entry.header().mode().map(is_executable).unwrap_or(false);
                let Some((mut out, path)) = sink.open_file(&name, &rel, executable) else {
                    continue;
                };
                let end = sink.copy(&mut entry, &mut out, &mut |_| None);
                drop(out);
                match end {
                    CopyEnd::Complete(n) if n == declared => {
                        sink.files += 1;
                        sink.bytes += n;
                    }
                    CopyEnd::Complete(n) => {
                        let _ = fs::remove_file(&path);
                        sink.skip(
                            name,
                            format!("truncated: {n} of {declared} declared bytes present"),
                        );
                        sink.skip_archive("archive is truncated; extraction stopped");
                        return Ok(());
                    }
                    CopyEnd::TooLarge => {
                        let _ = fs::remove_file(&path);
                        sink.skip(
                            name,
                            format!(
                                "file is over the {} per-file limit",
                                human_bytes(sink.limits.max_file_bytes)
                            ),
                        );
                    }
                    CopyEnd::Refused(reason) => {
                        let _ = fs::remove_file(&path);
                        sink.skip(name, reason);
                    }
                    CopyEnd::Failed(err) => {
                        let _ = fs::remove_file(&path);
                        if let Some(trip) = budget.tripped.get() {
                            sink.skip(name, "not extracted: archive limit reached");
                            record_trip(sink, trip, &budget);
                        } else {
                            sink.skip(name, format!("could not be extracted: {err}"));
                            sink.skip_archive(format!(
                                "archive is truncated or corrupt; extraction stopped: {err}"
                            ));
                        }
                        return Ok(());
                    }
                }
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let what = if kind == tar::EntryType::Symlink {
                    "symbolic link"
                } else {
                    "hard link"
                };
                sink.skip(name, format!("{what} to `{target}` not created"));
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                sink.skip(name, "device file not created")
            }
            tar::EntryType::Fifo => sink.skip(name, "FIFO not created"),
            other => sink.skip(name, format!("unsupported tar entry type {other:?}")),
        }
    }
    if let Some(trip) = budget.tripped.get() {
        record_trip(sink, trip, &budget);
    }
    Ok(())
}

fn record_trip(sink: &mut Sink<'_>, trip: Trip, budget: &StreamBudget) {
    let reason = match trip {
        Trip::TotalBytes => format!(
            "archive expands past the {} total limit: extraction stopped",
            human_bytes(sink.limits.max_total_bytes)
        ),
        Trip::Ratio => format!(
            "decompression bomb: {} from {} compressed exceeds the {}:1 ratio limit; extraction stopped",
            human_bytes(budget.decompressed.get()),
            human_bytes(budget.compressed.get()),
            sink.limits.max_ratio
        ),
    };
    sink.skip_archive(reason);
}

// ---------------------------------------------------------------------------------------------
// zip, wheels and MCP bundles

fn extract_zip(archive: &Path, sink: &mut Sink<'_>) -> Result<(), String> {
    let file = File::open(archive).map_err(|e| e.to_string())?;
    match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(mut zip) => {
            for index in 0..zip.len() {
                if !sink.admit_entry() {
                    return Ok(());
                }
                let fallback_name = match zip.name_for_index(index) {
                    Some(Ok(name)) => name.into_owned(),
                    _ => format!("entry #{index}"),
                };
                match zip.by_index(index) {
                    Ok(mut entry) => {
                        if !extract_zip_entry(&mut entry, sink) {
                            return Ok(());
                        }
                    }
                    Err(err) => sink.skip(fallback_name, format!("cannot be read: {err}")),
                }
            }
            Ok(())
        }
        Err(central_err) => {
            // No readable central directory (typically a truncated download): walk the local
            // headers from the start and keep what is intact.
            let file = File::open(archive).map_err(|e| e.to_string())?;
            let mut reader = BufReader::new(file);
            let mut read_any = false;
            loop {
                match zip::read::read_zipfile_from_stream(&mut reader) {
                    Ok(Some(mut entry)) => {
                        read_any = true;
                        if !sink.admit_entry() || !extract_zip_entry(&mut entry, sink) {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(err) => {
                        if !read_any {
                            return Err(format!("not a readable zip archive: {central_err}"));
                        }
                        sink.skip_archive(format!(
                            "archive is truncated or corrupt; extraction stopped after {} entries: {err}",
                            sink.entries
                        ));
                        return Ok(());
                    }
                }
            }
            if read_any {
                sink.skip_archive(format!(
                    "zip central directory is missing or corrupt ({central_err}); entries were read from local headers"
                ));
                Ok(())
            } else {
                Err(format!("not a readable zip archive: {central_err}"))
            }
        }
    }
}

/// Extracts one zip entry; false when extraction must stop (total limit reached).
fn extract_zip_entry<R: Read>(entry: &mut zip::read::ZipFile<'_, R>, sink: &mut Sink<'_>) -> bool {
    let name = match entry.name() {
        Ok(name) => name.into_owned(),
        Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
    };
    let rel = match safe_relative_path(&name) {
        Ok(rel) => rel,
        Err(reason) => {
            sink.skip(name, format!("refused: {reason}"));
            return true;
        }
    };
    let mode = entry.unix_mode().unwrap_or(0);
    let file_type = mode & 0o170000;
    if entry.is_symlink() || file_type == 0o120000 {
        sink.skip(name, "symbolic link not created");
        return true;
    }
    if entry.is_dir() {
        sink.make_dir(&name, &rel);
        return true;
    }
    if file_type != 0 && file_type != 0o100000 {
        sink.skip(name, "device, FIFO or other special file not created");
        return true;
    }
    if entry.encrypted() {
        sink.skip(name, "encrypted entry not extracted");
        return true;
    }
    let declared = entry.size();
    let compressed = entry.compressed_size().max(1);
    if declared > sink.limits.max_file_bytes {
        sink.skip(
            name,
            format!(
                "file of {} is over the {} per-file limit",
                human_bytes(declared),
                human_bytes(sink.limits.max_file_bytes)
            ),
        );
        return true;
    }
    let max_ratio = sink.limits.max_ratio;
    if declared > RATIO_GRACE_BYTES && declared / compressed > max_ratio {
        sink.skip(
            name,
            format!(
                "decompression bomb: declares {} from {} compressed, over the {max_ratio}:1 ratio limit",
                human_bytes(declared),
                human_bytes(compressed)
            ),
        );
        return true;
    }
    let remaining_total = sink.limits.max_total_bytes.saturating_sub(sink.bytes);
    let Some((mut out, path)) = sink.open_file(&name, &rel, is_executable(mode)) else {
        return true;
    };
    let mut over_total = false;
    let mut check = |written: u64| {
        if written > declared {
            return Some(format!(
                "entry decompresses to more than its declared {declared} bytes (lying header)"
            ));
        }
        if written > RATIO_GRACE_BYTES && written / compressed > max_ratio {
            return Some(format!(
                "decompression bomb: over the {max_ratio}:1 ratio limit"
            ));
        }
        if written > remaining_total {
            over_total = true;
            return Some("archive expands past the total size limit".to_string());
        }
        None
    };
    let end = sink.copy(entry, &mut out, &mut check);
    drop(out);
    match end {
        CopyEnd::Complete(n) => {
            sink.files += 1;
            sink.bytes += n;
            true
        }
        CopyEnd::TooLarge => {
            let _ = fs::remove_file(&path);
            let limit = human_bytes(sink.limits.max_file_bytes);
            sink.skip(name, format!("file is over the {limit} per-file limit"));
            true
        }
        CopyEnd::Refused(reason) => {
            let _ = fs::remove_file(&path);
            sink.skip(name, reason);
            if over_total {
                let limit = human_bytes(sink.limits.max_total_bytes);
                sink.skip_archive(format!(
                    "archive expands past the {limit} total limit: extraction stopped"
                ));
                return false;
            }
            true
        }
        CopyEnd::Failed(err) => {
            let _ = fs::remove_file(&path);
            sink.skip(name, format!("could not be extracted: {err}"));
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_are_plain_relative() {
        assert_eq!(
            safe_relative_path("package/dist/index.js").unwrap(),
            PathBuf::from("package/dist/index.js")
        );
        assert_eq!(
            safe_relative_path("./a//b/./c").unwrap(),
            PathBuf::from("a/b/c")
        );
        for bad in [
            "../x",
            "a/../../x",
            "/etc/x",
            "C:\\x",
            "c:x",
            "\\\\server\\share\\x",
            "a\\..\\..\\x",
            "a\0b",
        ] {
            assert!(safe_relative_path(bad).is_err(), "{bad:?}");
        }
    }
}
