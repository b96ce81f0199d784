using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// The per-user store: plain files under one root (PEM for keys and requests, JSON for metadata), a
    /// format version file, atomic writes, and a cross-process lock for every read-modify-write.
    /// Created on the first write; reading a store that does not exist yet finds nothing.
    /// </summary>
    public sealed class PkiStore
    {
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

        private static readonly JsonSerializerSettings JsonSettings = new JsonSerializerSettings
        {
            // Property names in camelCase; dictionary keys (user tags) exactly as the user wrote them.
            ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
            NullValueHandling = NullValueHandling.Ignore,
            Formatting = Formatting.Indented,
            DateParseHandling = DateParseHandling.DateTimeOffset,
            MissingMemberHandling = MissingMemberHandling.Ignore,
        };

        private static readonly UTF8Encoding Utf8NoBom = new UTF8Encoding(false);

        /// <summary>The same JSON form on one line, for journals; one instance, because creating a serializer is not cheap.</summary>
        private static readonly JsonSerializer LineSerializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            ContractResolver = JsonSettings.ContractResolver,
            NullValueHandling = NullValueHandling.Ignore,
            Formatting = Formatting.None,
        });

        public PkiStore(string? path = null, TimeSpan? lockTimeout = null)
        {
            Root = StoreLocation.Resolve(path);
            if (File.Exists(Root))
            {
                throw new PkiException(ErrorIds.StorePathInvalid, PkiErrorKind.InvalidArgument, Root, Messages.StorePathInvalid.Format(Root, Messages.ReasonStorePathIsFile));
            }
            LockTimeout = lockTimeout ?? DefaultLockTimeout;
            CheckFormatVersion();
        }

        public string Root { get; }

        public TimeSpan LockTimeout { get; }

        public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

        /// <summary>
        /// Claims one thing of the store (the file <paramref name="relativePath"/>, in folders made here) for as long as the
        /// claim is held: null, at once, when another process or thread holds it. The operating system lets go of it if the
        /// process dies. Unlike <see cref="Lock"/>, it may be held while the network is used.
        /// </summary>
        public IDisposable? TryClaim(string relativePath)
        {
            // Each folder on the way, outermost first, so that every one is made owner-only.
            var folders = new List<string>();
            for (var folder = Path.GetDirectoryName(relativePath); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder)) folders.Insert(0, folder!);
            EnsureCreated(folders.ToArray());
            try
            {
                return StoreLock.TryAcquire(FullPath(relativePath));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }
        }

        /// <summary>
        /// Takes the store lock; every read-modify-write of shared state happens inside it. Holding it, no one else writes,
        /// so the first lock of a process also removes what processes killed mid-write left behind (see <see cref="StoreLeftovers"/>).
        /// </summary>
        public IDisposable Lock(CancellationToken cancellation)
        {
            EnsureCreated();
            StoreLock held;
            try
            {
                held = StoreLock.Acquire(FullPath(StoreLayout.LockFile), LockTimeout, cancellation);
            }
            catch (UnauthorizedAccessException e)
            {
                throw NotWritable(e);
            }
            StoreLeftovers.SweepIfDue(this);
            return held;
        }

        /// <summary>Creates the root and the version file if needed (folders 0700), or throws StoreNotWritable.</summary>
        public void EnsureCreated(params string[] folders)
        {
            try
            {
                CreateRoot(Root);
                foreach (var folder in folders)
                {
                    CreateFolder(FullPath(folder));
                }
                if (!File.Exists(FullPath(StoreLayout.VersionFile)))
                {
                    try
                    {
                        AtomicFile.Write(FullPath(StoreLayout.VersionFile), Serialize(new StoreVersion { FormatVersion = StoreLayout.FormatVersion }));
                    }
                    catch (IOException) when (File.Exists(FullPath(StoreLayout.VersionFile)))
                    {
                        // Another process created the store at the same moment; its version file says the same.
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }
        }

        public void WriteFile(string relativePath, byte[] content)
        {
            try
            {
                AtomicFile.Write(FullPath(relativePath), content);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }
        }

        public void WriteText(string relativePath, string text) => WriteFile(relativePath, Utf8(text));

        public void WriteJson(string relativePath, object value) => WriteFile(relativePath, Json(value));

        /// <summary>
        /// Writes new files in order, each atomically; when one fails, deletes those this call wrote, so a
        /// failed command leaves the store as it was. The last file should be the one that makes the rest count.
        /// </summary>
        public void WriteAllOrNothing(IReadOnlyList<KeyValuePair<string, byte[]>> files)
        {
            var written = new List<string>();
            try
            {
                foreach (var file in files)
                {
                    var isNew = !Exists(file.Key);
                    WriteFile(file.Key, file.Value);
                    if (isNew) written.Add(file.Key);
                }
            }
            catch
            {
                foreach (var path in written)
                {
                    try
                    {
                        DeleteFile(path);
                    }
                    catch (PkiException)
                    {
                        // Best effort: the original failure is the one to report.
                    }
                }
                throw;
            }
        }

        public static byte[] Utf8(string text) => Utf8NoBom.GetBytes(text);

        /// <summary>Text of a file read as bytes, without a byte order mark if there was one.</summary>
        public static string FromUtf8(byte[] bytes)
        {
            var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Utf8NoBom.GetString(bytes, offset, bytes.Length - offset);
        }

        /// <summary>The store's JSON form of <paramref name="value"/>: camelCase, indented, nulls left out.</summary>
        public static byte[] Json(object value) => Serialize(value);

        /// <summary>The store's JSON form of <paramref name="value"/> on one line (a journal record), as UTF-8.</summary>
        internal static byte[] JsonLine(object value)
        {
            var writer = new StringWriter();
            LineSerializer.Serialize(writer, value);
            return Utf8NoBom.GetBytes(writer.ToString());
        }

        public bool Exists(string relativePath) => File.Exists(FullPath(relativePath));

        public string ReadText(string relativePath)
        {
            try
            {
                // Readers share delete access so that a writer's rename (File.Replace) never fails on Windows.
                using var stream = new FileStream(FullPath(relativePath), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Utf8NoBom);
                return reader.ReadToEnd();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Corrupt(relativePath, e.Message, e);
            }
        }

        /// <summary>
        /// Reads a private key file of the store; KeyFileNotPrivate, naming the file or its folder and the command that
        /// fixes it, when others may read it: a key that may have been read by others is not used as if nothing were wrong.
        /// </summary>
        public string ReadKey(string relativePath)
        {
            var file = FullPath(relativePath);
            var folder = Path.GetDirectoryName(file)!;
            if (FilePermissions.OpenToOthers(folder) is int folderMode)
            {
                throw new PkiException(ErrorIds.KeyFileNotPrivate, PkiErrorKind.SecurityError, folder, Messages.KeyFolderNotPrivate.Format(folder, Octal(folderMode)));
            }
            if (FilePermissions.OpenToOthers(file) is int fileMode)
            {
                throw new PkiException(ErrorIds.KeyFileNotPrivate, PkiErrorKind.SecurityError, file, Messages.KeyFileNotPrivate.Format(file, Octal(fileMode)));
            }
            return ReadText(relativePath);
        }

        private static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8);

        /// <summary>Reads a JSON document; a missing, empty, truncated or malformed file is StoreRecordCorrupt naming it.</summary>
        public T ReadJson<T>(string relativePath)
            where T : class
        {
            var text = ReadText(relativePath);
            T? value;
            try
            {
                value = JsonConvert.DeserializeObject<T>(text, JsonSettings);
            }
            catch (JsonException e)
            {
                throw Corrupt(relativePath, e.Message, e);
            }
            return value ?? throw Corrupt(relativePath, Messages.ReasonFileEmpty, null);
        }

        /// <summary>Deletes a file of the store, its folder synced after, as after a rename.</summary>
        public void DeleteFile(string relativePath)
        {
            try
            {
                var full = FullPath(relativePath);
                File.Delete(full);
                // Durable before the next file goes, so that removals in an order (a record before its files) keep it.
                FolderSync.Sync(Path.GetDirectoryName(full)!);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }
        }

        /// <summary>Deletes a folder of the store when nothing is left in it.</summary>
        public void DeleteFolderIfEmpty(string relativePath)
        {
            try
            {
                var full = FullPath(relativePath);
                if (Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any())
                {
                    Directory.Delete(full);
                    FolderSync.Sync(Path.GetDirectoryName(full)!);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }
        }

        /// <summary>Relative paths of the files in <paramref name="folder"/> matching <paramref name="searchPattern"/>, sorted.</summary>
        public IReadOnlyList<string> ListFiles(string folder, string searchPattern)
        {
            var full = FullPath(folder);
            if (!Directory.Exists(full)) return Array.Empty<string>();
            var files = new List<string>();
            foreach (var file in Directory.GetFiles(full, searchPattern))
            {
                files.Add(Path.Combine(folder, Path.GetFileName(file)));
            }
            files.Sort(StringComparer.Ordinal);
            return files;
        }

        internal PkiException Corrupt(string relativePath, string reason, Exception? inner) =>
            new PkiException(ErrorIds.StoreRecordCorrupt, PkiErrorKind.InvalidData, FullPath(relativePath),
                Messages.StoreRecordCorrupt.Format(FullPath(relativePath), reason), inner);

        internal PkiException NotWritable(Exception e) =>
            new PkiException(ErrorIds.StoreNotWritable, PkiErrorKind.PermissionDenied, Root,
                Messages.StoreNotWritable.Format(Root, e.Message), e);

        private void CheckFormatVersion()
        {
            if (!File.Exists(FullPath(StoreLayout.VersionFile))) return;
            var version = ReadJson<StoreVersion>(StoreLayout.VersionFile);
            if (version.FormatVersion > StoreLayout.FormatVersion)
            {
                throw new PkiException(ErrorIds.StoreVersionUnsupported, PkiErrorKind.InvalidOperation, Root,
                    Messages.StoreVersionUnsupported.Format(Root, version.FormatVersion, StoreLayout.FormatVersion));
            }
            if (version.FormatVersion < 1)
            {
                throw Corrupt(StoreLayout.VersionFile, Messages.ReasonFormatVersionMissing, null);
            }
        }

        /// <summary>
        /// The store's own folder: made owner-only when this creates it, and also when it was made beforehand and is still
        /// empty (mkdir, then -StorePath to it); a folder that already holds other things keeps its permissions.
        /// </summary>
        private static void CreateRoot(string path)
        {
            if (Directory.Exists(path) && !File.Exists(Path.Combine(path, StoreLayout.VersionFile)) && !Directory.EnumerateFileSystemEntries(path).Any())
            {
                FilePermissions.Restrict(path, FilePermissions.OwnerOnlyFolder);
                return;
            }
            CreateFolder(path);
        }

        private static void CreateFolder(string path)
        {
            if (Directory.Exists(path)) return;
            Directory.CreateDirectory(path);
            FilePermissions.Restrict(path, FilePermissions.OwnerOnlyFolder);
        }

        private static byte[] Serialize(object value) => Utf8NoBom.GetBytes(JsonConvert.SerializeObject(value, JsonSettings) + "\n");

        private sealed class StoreVersion
        {
            public int FormatVersion { get; set; }
        }
    }
}
