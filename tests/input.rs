//! The guarded reader (`plansite::input`): what stays inside the site root,
//! size limits, files that are not regular files, and encodings. These write
//! fixture files, which the library itself leaves to `output`.

use plansite::input::{SiteRoot, read_given_file, utf8};

fn site() -> (tempfile::TempDir, SiteRoot) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("site/content/progress")).expect("mkdir");
    let root = SiteRoot::open(&dir.path().join("site")).expect("root");
    (dir, root)
}

#[test]
fn files_inside_are_read_and_limits_count_read_bytes() {
    let (_dir, root) = site();
    std::fs::write(root.real().join("content/a.yaml"), "12345").expect("write");
    assert_eq!(root.read("content/a.yaml", 5).expect("read"), b"12345");
    let err = root.read("content/a.yaml", 4).expect_err("too large");
    assert_eq!(err.code.as_str(), "file-too-large");
    assert!(root.read("content/none.yaml", 9).is_err());
    assert_eq!(root.resolve("content/none.yaml").expect("ok"), None);
}

#[cfg(unix)]
#[test]
fn links_and_dot_dots_that_leave_the_root_are_refused_at_every_level() {
    let (dir, root) = site();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("2023.yaml"), "year: 2023").expect("write");
    std::fs::write(outside.join("secret.txt"), "secret").expect("write");
    // A linked folder, a linked file and a `..` path.
    std::os::unix::fs::symlink(&outside, root.real().join("content/pages")).expect("link");
    std::os::unix::fs::symlink(
        outside.join("secret.txt"),
        root.real().join("content/progress/2022.yaml"),
    )
    .expect("link");
    for rel in [
        "content/pages/secret.txt",
        "content/progress/2022.yaml",
        "../outside/secret.txt",
        "content/../../outside/secret.txt",
    ] {
        let err = root.read(rel, 100).expect_err(rel);
        assert_eq!(err.code.as_str(), "outside-root", "{rel}");
    }
    let mut diags = Vec::new();
    assert!(root.list("content/pages", ".txt", &mut diags).is_empty());
    assert_eq!(diags[0].code.as_str(), "outside-root");
    let mut diags = Vec::new();
    assert!(
        root.list("content/progress", ".yaml", &mut diags)
            .is_empty()
    );
    assert_eq!(diags[0].code.as_str(), "outside-root");
    // A link that stays inside is followed.
    std::fs::write(root.real().join("content/real.yaml"), "x").expect("write");
    std::os::unix::fs::symlink(
        "../real.yaml",
        root.real().join("content/progress/2021.yaml"),
    )
    .expect("link");
    assert_eq!(
        root.read("content/progress/2021.yaml", 9).expect("read"),
        b"x"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_an_error_not_a_wait() {
    let (_dir, root) = site();
    let fifo = root.real().join("content/progress/2023.yaml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let err = root
        .read("content/progress/2023.yaml", 100)
        .expect_err("fifo");
    assert_eq!(err.code.as_str(), "not-a-file");
    let mut diags = Vec::new();
    assert!(
        root.list("content/progress", ".yaml", &mut diags)
            .is_empty()
    );
    assert_eq!(diags[0].code.as_str(), "not-a-file");
    assert!(read_given_file(&fifo, 100).is_err());
    let err = root.read("content", 100).expect_err("a folder");
    assert_eq!(err.code.as_str(), "not-a-file");
}

#[test]
fn invalid_utf8_is_located() {
    let err = utf8("f.yaml", b"ok\nab\xFFc".to_vec()).expect_err("invalid");
    assert_eq!((err.line, err.column), (2, 3));
    assert_eq!(utf8("f", b"\xEF\xBB\xBFx".to_vec()).expect("bom"), "x");
}
