package dev.loupe.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The commit and branch of the working directory's git repository, read from the files under {@code .git} (no git
 * process is started). Either is null when unknown.
 *
 * @param commit the commit id
 * @param branch the branch name, or null for a detached head
 */
record GitInfo(String commit, String branch) {

    static GitInfo ofWorkingDirectory() {
        try {
            for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path git = dir.resolve(".git");
                if (Files.isRegularFile(git)) {
                    // A worktree or submodule: ".git" names the real directory.
                    String pointer = Files.readString(git).trim();
                    if (pointer.startsWith("gitdir:")) {
                        return read(dir.resolve(pointer.substring(7).trim()).normalize());
                    }
                } else if (Files.isDirectory(git)) {
                    return read(git);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no git information, which is fine
        }
        return new GitInfo(null, null);
    }

    private static GitInfo read(Path gitDir) throws IOException {
        String head = Files.readString(gitDir.resolve("HEAD")).trim();
        if (!head.startsWith("ref:")) {
            return new GitInfo(head, null);
        }
        String ref = head.substring(4).trim();
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        Path common = gitDir;
        Path commonDir = gitDir.resolve("commondir");
        if (Files.isRegularFile(commonDir)) {
            common = gitDir.resolve(Files.readString(commonDir).trim()).normalize();
        }
        for (Path base : new Path[] {gitDir, common}) {
            Path refFile = base.resolve(ref);
            if (Files.isRegularFile(refFile)) {
                return new GitInfo(Files.readString(refFile).trim(), branch);
            }
            Path packed = base.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed)) {
                    if (line.endsWith(" " + ref)) {
                        return new GitInfo(line.substring(0, line.indexOf(' ')), branch);
                    }
                }
            }
        }
        return new GitInfo(null, branch);
    }
}
