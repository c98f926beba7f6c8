/* TEST ONLY — never shipped. Debian 12's Wine 8.0 has no bcryptprimitives.dll, and every
 * Rust >= 1.78 program imports ProcessPrng from it (the standard library's random source), so
 * no Rust program starts there. This stand-in exports ProcessPrng over advapi32's RtlGenRandom
 * (SystemFunction036); the Wine smoke test builds it with mingw into its own Wine prefix. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
