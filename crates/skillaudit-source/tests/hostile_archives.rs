//! Hostile archives built here, byte by byte where the writers would refuse: every one must be
//! refused entry by entry with a recorded reason, and nothing may appear outside the extraction
//! folder.

mod common;

use common::*;
use skillaudit_source::{extract_archive, ExtractLimits, Extraction};
use std::io::Write;
use std::path::{Path, PathBuf};
use tar::EntryType;

/// A sandbox with the extraction folder two levels down, so `../../x` would still land inside
/// the sandbox where the test can see it.
struct Sandbox {
    dir: tempfile::TempDir,
    dest: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a/b/dest");
        std::fs::create_dir_all(&dest).unwrap();
        Sandbox { dir, dest }
    }

    fn extract(&self, name: &str, bytes: &[u8], limits: &ExtractLimits) -> Extraction {
        let archive = self.dir.path().join("in").join(name);
        std::fs::create_dir_all(archive.parent().unwrap()).unwrap();
        std::fs::write(&archive, bytes).unwrap();
        let result = extract_archive(&archive, &self.dest, limits).unwrap();
        std::fs::remove_dir_all(archive.parent().unwrap()).unwrap();
        assert_eq!(
            paths_outside(self.dir.path(), &self.dest),
            Vec::<PathBuf>::new(),
            "something was written outside the extraction folder"
        );
        result
    }
}

/// Bytes that do not compress (xorshift).
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn reason_for<'a>(extraction: &'a Extraction, file: &str) -> &'a str {
    extraction
        .skipped
        .iter()
        .find(|s| s.file == file)
        .map(|s| s.reason.as_str())
        .unwrap_or_else(|| panic!("no skipped entry for {file}: {:?}", extraction.skipped))
}

fn archive_reason(extraction: &Extraction, archive: &str) -> String {
    reason_for(extraction, archive).to_string()
}

fn no_symlinks_under(dir: &Path) {
    for entry in walk(dir) {
        let meta = std::fs::symlink_metadata(&entry).unwrap();
        assert!(
            !meta.file_type().is_symlink(),
            "{} is a link",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if std::fs::symlink_metadata(&p).unwrap().is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn parent_traversal_entry_is_refused() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        file("package/ok.js", b"ok"),
        file("../../x", b"evil"),
        file("package/../../../y", b"evil"),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "../../x").contains(".."));
    assert!(reason_for(&out, "package/../../../y").contains(".."));
    assert!(out.root.join("ok.js").is_file());
}

#[test]
fn absolute_path_entry_is_refused() {
    let sandbox = Sandbox::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("pwned");
    let name = target.to_str().unwrap().to_string();
    let bytes = tgz(vec![file(&name, b"evil"), file("/etc/x", b"evil")]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, &name).contains("absolute"));
    assert!(reason_for(&out, "/etc/x").contains("absolute"));
    assert!(!target.exists());
}

#[test]
fn symlink_to_etc_passwd_is_recorded_not_created() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        (
            raw_link("package/passwd", EntryType::Symlink, "/etc/passwd"),
            vec![],
        ),
        file("package/index.js", b"x"),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    let reason = reason_for(&out, "package/passwd");
    assert!(reason.contains("symbolic link") && reason.contains("/etc/passwd"));
    assert!(!out.root.join("passwd").exists());
    no_symlinks_under(&sandbox.dest);
}

#[test]
fn symlink_out_then_write_through_it_stays_inside() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        (raw_link("escape", EntryType::Symlink, "../outside"), vec![]),
        file("escape/pwned", b"evil"),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "escape").contains("symbolic link"));
    // The later file lands in a real folder inside the extraction folder.
    assert!(sandbox.dest.join("escape/pwned").is_file());
    no_symlinks_under(&sandbox.dest);
}

#[test]
fn hardlink_out_is_recorded_not_created() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        (raw_link("hl", EntryType::Link, "/etc/passwd"), vec![]),
        (raw_link("hl2", EntryType::Link, "../../../outside"), vec![]),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "hl").contains("hard link"));
    assert!(reason_for(&out, "hl2").contains("hard link"));
    assert!(!sandbox.dest.join("hl").exists());
}

#[test]
fn device_and_fifo_entries_are_recorded_not_created() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        (raw_header("dev/null", EntryType::Char, 0, 0o666), vec![]),
        (raw_header("dev/sda", EntryType::Block, 0, 0o666), vec![]),
        (raw_header("pipe", EntryType::Fifo, 0, 0o666), vec![]),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "dev/null").contains("device"));
    assert!(reason_for(&out, "dev/sda").contains("device"));
    assert!(reason_for(&out, "pipe").contains("FIFO"));
    assert!(!sandbox.dest.join("pipe").exists());
}

#[test]
fn gzip_bomb_stops_at_the_ratio_limit() {
    let sandbox = Sandbox::new();
    // 200 MB of zeros in one entry compress to about 200 KB.
    let size: u64 = 200 * 1024 * 1024;
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    let header = raw_header("package/zeros.bin", EntryType::Regular, size, 0o644);
    builder
        .append(&header, std::io::repeat(0).take_bytes(size))
        .unwrap();
    let bytes = builder.into_inner().unwrap().finish().unwrap();
    let limits = ExtractLimits {
        max_ratio: 50,
        max_file_bytes: u64::MAX,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("bomb.tgz", &bytes, &limits);
    assert!(archive_reason(&out, "bomb.tgz").contains("decompression bomb"));
    assert!(!sandbox.dest.join("package/zeros.bin").exists());
}

#[test]
fn extraction_stops_past_the_total_limit() {
    let sandbox = Sandbox::new();
    let chunk = vec![b'a'; 300 * 1024];
    let bytes = tgz(vec![
        file("p/one", &chunk),
        file("p/two", &chunk),
        file("p/three", &chunk),
    ]);
    let limits = ExtractLimits {
        max_total_bytes: 700 * 1024,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("t.tgz", &bytes, &limits);
    assert!(archive_reason(&out, "t.tgz").contains("total limit"));
    assert!(out.bytes <= 700 * 1024);
    assert!(!sandbox.dest.join("p/three").exists());
}

#[test]
fn too_many_entries_stops_extraction() {
    let sandbox = Sandbox::new();
    let entries = (0..50).map(|i| file(&format!("f{i}"), b"x")).collect();
    let limits = ExtractLimits {
        max_entries: 10,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("t.tgz", &tgz(entries), &limits);
    assert!(archive_reason(&out, "t.tgz").contains("more than 10 entries"));
    assert_eq!(out.files, 10);
}

#[test]
fn file_over_the_per_file_cap_is_left_out() {
    let sandbox = Sandbox::new();
    // Incompressible, so that only the size limit applies.
    let bytes = tgz(vec![
        file("big.bin", &noise(2 * 1024 * 1024)),
        file("small.txt", b"fine"),
    ]);
    let limits = ExtractLimits {
        max_file_bytes: 1024 * 1024,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("t.tgz", &bytes, &limits);
    assert!(reason_for(&out, "big.bin").contains("per-file limit"));
    assert!(!sandbox.dest.join("big.bin").exists());
    assert!(sandbox.dest.join("small.txt").is_file());
}

#[test]
fn truncated_tgz_keeps_what_was_read() {
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        file("pkg/first.js", b"first"),
        file("pkg/second.bin", &noise(200_000)),
        file("pkg/third.js", b"third"),
    ]);
    let cut = &bytes[..bytes.len() / 2];
    let out = sandbox.extract("cut.tgz", cut, &ExtractLimits::default());
    assert!(archive_reason(&out, "cut.tgz").contains("truncated"));
    assert!(out.root.join("first.js").is_file());
    assert!(!out.root.join("second.bin").exists());
}

#[test]
fn unreadable_archive_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("junk.tgz");
    let bytes = tgz(vec![file("a", b"a")]);
    std::fs::write(&archive, &bytes[..12]).unwrap();
    let dest = dir.path().join("dest");
    std::fs::create_dir(&dest).unwrap();
    assert!(extract_archive(&archive, &dest, &ExtractLimits::default()).is_err());
    std::fs::write(&archive, b"not an archive at all").unwrap();
    assert!(extract_archive(&archive, &dest, &ExtractLimits::default()).is_err());
}

#[test]
fn mode_bits_are_only_ever_644_or_755() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let bytes = tgz(vec![
        (
            raw_header("suid", EntryType::Regular, 1, 0o4777),
            b"x".to_vec(),
        ),
        (
            raw_header("plain", EntryType::Regular, 1, 0o666),
            b"x".to_vec(),
        ),
    ]);
    let out = sandbox.extract("t.tgz", &bytes, &ExtractLimits::default());
    let mode = |n: &str| {
        std::fs::metadata(out.root.join(n))
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    };
    assert_eq!(mode("suid"), 0o755);
    assert_eq!(mode("plain"), 0o644);
}

#[test]
fn npm_tarball_top_level_folder_is_stripped() {
    let sandbox = Sandbox::new();
    let out = sandbox.extract(
        "is-number-7.0.0.tgz",
        &fixture_bytes("is-number-7.0.0.tgz"),
        &ExtractLimits::default(),
    );
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(out.root, sandbox.dest.join("package"));
    assert!(out.root.join("index.js").is_file());
    assert!(out.root.join("package.json").is_file());
}

// ---------------------------------------------------------------------------------------------
// zip

fn zip_with(build: impl FnOnce(&mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>)) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    build(&mut writer);
    writer.finish().unwrap().into_inner()
}

fn deflated() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

#[test]
fn zip_windows_drive_and_traversal_names_are_refused() {
    let sandbox = Sandbox::new();
    let bytes = zip_with(|w| {
        for name in ["C:\\x", "..\\..\\evil", "../evil2", "/abs", "ok/file.txt"] {
            w.start_file(name, deflated()).unwrap();
            w.write_all(b"data").unwrap();
        }
    });
    let out = sandbox.extract("t.zip", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "C:\\x").contains("Windows drive"));
    assert!(reason_for(&out, "..\\..\\evil").contains(".."));
    assert!(reason_for(&out, "../evil2").contains(".."));
    assert!(reason_for(&out, "/abs").contains("absolute"));
    assert!(sandbox.dest.join("ok/file.txt").is_file());
}

#[test]
fn zip_symlink_is_recorded_not_created() {
    let sandbox = Sandbox::new();
    let bytes = zip_with(|w| {
        w.add_symlink("link", "/etc/passwd", deflated()).unwrap();
    });
    let out = sandbox.extract("t.zip", &bytes, &ExtractLimits::default());
    assert!(reason_for(&out, "link").contains("symbolic link"));
    no_symlinks_under(&sandbox.dest);
}

/// Overwrites the uncompressed size of the first entry in its local header (offset 22) and in
/// the central directory (offset 24) with `size`.
fn patch_declared_size(bytes: &mut [u8], size: u32) {
    let le = size.to_le_bytes();
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    bytes[22..26].copy_from_slice(&le);
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&le);
}

#[test]
fn zip_entry_whose_declared_size_lies_is_refused() {
    let sandbox = Sandbox::new();
    let mut bytes = zip_with(|w| {
        w.start_file("liar.txt", deflated()).unwrap();
        w.write_all(&vec![b'a'; 100_000]).unwrap();
    });
    patch_declared_size(&mut bytes, 10);
    let out = sandbox.extract("t.zip", &bytes, &ExtractLimits::default());
    let reason = reason_for(&out, "liar.txt");
    assert!(reason.contains("declared"), "{reason}");
    assert!(!sandbox.dest.join("liar.txt").exists());
}

#[test]
fn zip_bomb_entry_is_refused_by_ratio() {
    let sandbox = Sandbox::new();
    let bytes = zip_with(|w| {
        w.start_file("zeros.bin", deflated()).unwrap();
        std::io::copy(&mut std::io::repeat(0).take_bytes(20 * 1024 * 1024), w).unwrap();
        w.start_file("fine.txt", deflated()).unwrap();
        w.write_all(b"fine").unwrap();
    });
    let limits = ExtractLimits {
        max_ratio: 50,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("bomb.zip", &bytes, &limits);
    assert!(reason_for(&out, "zeros.bin").contains("decompression bomb"));
    assert!(!sandbox.dest.join("zeros.bin").exists());
    assert!(sandbox.dest.join("fine.txt").is_file());
}

#[test]
fn zip_bomb_with_lying_small_declared_size_is_still_caught() {
    let sandbox = Sandbox::new();
    let mut bytes = zip_with(|w| {
        w.start_file("zeros.bin", deflated()).unwrap();
        std::io::copy(&mut std::io::repeat(0).take_bytes(20 * 1024 * 1024), w).unwrap();
    });
    patch_declared_size(&mut bytes, 1000);
    let limits = ExtractLimits {
        max_ratio: 50,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("bomb.zip", &bytes, &limits);
    let reason = reason_for(&out, "zeros.bin");
    assert!(reason.contains("declared"), "{reason}");
    assert!(!sandbox.dest.join("zeros.bin").exists());
}

#[test]
fn zip_without_central_directory_is_read_from_local_headers() {
    let sandbox = Sandbox::new();
    let bytes = zip_with(|w| {
        w.start_file("pkg/a.txt", deflated()).unwrap();
        w.write_all(b"alpha").unwrap();
        w.start_file("pkg/b.txt", deflated()).unwrap();
        w.write_all(b"beta").unwrap();
    });
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let out = sandbox.extract("cut.zip", &bytes[..central + 10], &ExtractLimits::default());
    assert!(archive_reason(&out, "cut.zip").contains("central directory"));
    assert!(out.root.join("a.txt").is_file());
}

#[test]
fn too_many_zip_entries_stops_extraction() {
    let sandbox = Sandbox::new();
    let bytes = zip_with(|w| {
        for i in 0..30 {
            w.start_file(format!("f{i}"), deflated()).unwrap();
            w.write_all(b"x").unwrap();
        }
    });
    let limits = ExtractLimits {
        max_entries: 5,
        ..ExtractLimits::default()
    };
    let out = sandbox.extract("t.zip", &bytes, &limits);
    assert!(archive_reason(&out, "t.zip").contains("more than 5 entries"));
    assert_eq!(out.files, 5);
}

/// `Read::take` on `io::Repeat` without importing the trait at every call site.
trait TakeBytes {
    fn take_bytes(self, n: u64) -> std::io::Take<std::io::Repeat>;
}

impl TakeBytes for std::io::Repeat {
    fn take_bytes(self, n: u64) -> std::io::Take<std::io::Repeat> {
        std::io::Read::take(self, n)
    }
}
