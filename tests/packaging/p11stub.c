/* TEST ONLY: a "token driver" that exports C_GetFunctionList and answers CKR_DEVICE_ERROR.
 * Built 64-bit and 32-bit with mingw, it stands for a Vietnamese CA's driver in the Wine
 * smoke test: where Kyso finds it (System32, SysWOW64, Program Files, the registry), that a
 * 32-bit copy is explained rather than loaded, and that each driver is listed once. */
typedef unsigned long CK_RV;
#define CKR_DEVICE_ERROR 0x30UL

__declspec(dllexport) CK_RV C_GetFunctionList(void **list)
{
    if (list)
        *list = 0;
    return CKR_DEVICE_ERROR;
}
